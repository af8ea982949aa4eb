#!/bin/sh
# Builds and runs benches/openssl_modexp.c: OpenSSL's constant-time modexp in DH group 5,
# the yardstick for `cargo bench --bench crypto`. Installs libssl-dev if headers are missing.
#   sh benches/openssl_modexp.sh [exponent_bits ...]     (default: 256 1536)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-${TMPDIR:-/tmp}/openssl_modexp}
if [ ! -f /usr/include/openssl/bn.h ]; then
    apt-get install -y libssl-dev >/dev/null
fi
gcc -O2 -o "$out" "$here/openssl_modexp.c" -lcrypto
[ $# -gt 0 ] || set -- 256 1536
for bits in "$@"; do
    if [ "$bits" -gt 512 ]; then iters=90; else iters=360; fi
    "$out" "$bits" "$iters"
done
