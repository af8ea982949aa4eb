/* Times OpenSSL's BN_mod_exp_mont_consttime in DH group 5 (RFC 3526 1536-bit MODP)
 * for a given exponent length, as a same-machine yardstick for benches/crypto.rs.
 *
 * Usage: openssl_modexp <exponent_bits> [iterations]   (defaults 256, 200)
 * Prints the median per call of 2^x and y^x (Montgomery context precomputed, as
 * OpenSSL's DH does) and a final line `openssl_modexp_us=<median us of y^x>`.
 * Times are process CPU time (CLOCK_PROCESS_CPUTIME_ID), so a busy shared machine
 * inflates them less than wall time; on an idle machine the two agree. */
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_call_us(BIGNUM *r, const BIGNUM *base, const BIGNUM *x, const BIGNUM *p,
                             BN_CTX *ctx, BN_MONT_CTX *mont, int iters) {
    enum { BATCHES = 9 };
    double t[BATCHES];
    int per = iters / BATCHES > 0 ? iters / BATCHES : 1;
    for (int b = 0; b < BATCHES; b++) {
        double t0 = now_us();
        for (int i = 0; i < per; i++)
            if (!BN_mod_exp_mont_consttime(r, base, x, p, ctx, mont)) exit(2);
        t[b] = (now_us() - t0) / per;
    }
    qsort(t, BATCHES, sizeof t[0], cmp);
    return t[BATCHES / 2];
}

int main(int argc, char **argv) {
    int bits = argc > 1 ? atoi(argv[1]) : 256;
    int iters = argc > 2 ? atoi(argv[2]) : 200;
    if (bits < 8 || bits > 1536 || iters < 1) {
        fprintf(stderr, "usage: %s <exponent_bits 8..1536> [iterations]\n", argv[0]);
        return 1;
    }
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *p = BN_get_rfc3526_prime_1536(NULL);
    BIGNUM *g = BN_new(), *a = BN_new(), *b = BN_new(), *ya = BN_new(), *yb = BN_new();
    BIGNUM *s1 = BN_new(), *s2 = BN_new();
    BN_MONT_CTX *mont = BN_MONT_CTX_new();
    BN_set_word(g, 2);
    BN_MONT_CTX_set(mont, p, ctx);
    /* Random exponents with the top bit set, so the length is exactly `bits`. */
    BN_rand(a, bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY);
    BN_rand(b, bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY);
    BN_set_flags(a, BN_FLG_CONSTTIME);
    BN_set_flags(b, BN_FLG_CONSTTIME);
    /* Self-check: (2^a)^b == (2^b)^a. */
    BN_mod_exp_mont_consttime(ya, g, a, p, ctx, mont);
    BN_mod_exp_mont_consttime(yb, g, b, p, ctx, mont);
    BN_mod_exp_mont_consttime(s1, yb, a, p, ctx, mont);
    BN_mod_exp_mont_consttime(s2, ya, b, p, ctx, mont);
    if (BN_cmp(s1, s2) != 0) {
        fprintf(stderr, "self-check failed\n");
        return 2;
    }
    /* Warm-up. */
    median_call_us(s1, yb, a, p, ctx, mont, iters / 4 + 9);
    double keygen = median_call_us(s1, g, a, p, ctx, mont, iters);
    double shared = median_call_us(s1, yb, a, p, ctx, mont, iters);
    printf("exponent_bits=%d iterations=%d\n", bits, iters);
    printf("keygen 2^x: %.1f us\n", keygen);
    printf("shared y^x: %.1f us\n", shared);
    printf("openssl_modexp_us=%.1f\n", shared);
    return 0;
}
