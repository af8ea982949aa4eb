#!/usr/bin/env bash
# Builds the firmware for a Cortex-M4 and a RV32IMAC core, runs both in QEMU, and prints
#   flash <target> <pin-m1|enrollee|registrar|both|measure> <bytes>
#     (enrollee: a printer's program, the station driver built with the wps crate's
#     `enrollee` feature only; registrar: a router's, the access point driver with
#     `registrar` only; both: the station and access point drivers with both roles;
#     measure: the program that runs and measures the registrations, its measuring code
#     included; pin-m1: PIN parsing, the checksum and the M1 parser, no role)
#   ram <target> heap_peak=<bytes> stack_peak=<bytes> enrollee_heap_peak=<bytes> registrar_heap_peak=<bytes> ...
#     (heap_peak: both sides of a whole in-memory registration together; the per-side
#     peaks count the blocks each side's calls allocated)
#   instructions <target> enrollee_side=<count> ...
#   ct <target> <keygen|shared> w002=<count> w032=<count> w256=<count> wrnd=<count>
# Fails when a build fails, a run does not print PASS, or QEMU exits non-zero.
# Installs what it needs: the two Rust targets, llvm-tools (llvm-size), Debian's QEMU.
set -euo pipefail
cd "$(dirname "$0")"

targets=(thumbv7em-none-eabihf riscv32imac-unknown-none-elf)

rustup target add "${targets[@]}" >/dev/null
rustup component add llvm-tools >/dev/null
if ! command -v qemu-system-arm >/dev/null || ! command -v qemu-system-riscv32 >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends qemu-system-arm qemu-system-misc >/dev/null
fi
llvm_size="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/llvm-size"

# Flash: the loaded sections with contents (code, read-only data, initial values of
# .data); not .bss, the heap array, the stack or debug information.
flash() {
    "$llvm_size" -A "$1" | awk '
        $1 ~ /^\./ && $1 !~ /^\.(bss|uninit|heap|stack|comment|debug|ARM\.|riscv\.|gnu\.sgstubs|text\.dummy)/ { n += $2 }
        END { print n }'
}

mkdir -p target/out
# One role, then the other, then both, then the measuring program (the default, last, so
# that a plain `cargo run` after this script finds the binary that runs the registrations).
for build in pin-m1 enrollee registrar both measure; do
    if [[ $build == measure ]]; then
        cargo build --release --quiet
    elif [[ $build == pin-m1 ]]; then
        cargo build --release --quiet --no-default-features
    elif [[ $build == both ]]; then
        cargo build --release --quiet --no-default-features --features enrollee,registrar
    else
        cargo build --release --quiet --no-default-features --features "$build"
    fi
    for t in "${targets[@]}"; do
        cp "target/$t/release/wps-firmware" "target/out/$t-$build.elf"
    done
done
for build in pin-m1 enrollee registrar both measure; do
    for t in "${targets[@]}"; do
        echo "flash $t $build $(flash "target/out/$t-$build.elf")"
    done
done

qemu_arm=(qemu-system-arm -M mps2-an386 -nographic -semihosting-config enable=on,target=native -icount shift=0 -kernel)
qemu_riscv=(qemu-system-riscv32 -M virt -bios none -nographic -semihosting-config enable=on,target=native -icount shift=0 -kernel)

status=0
for t in "${targets[@]}"; do
    case $t in
        thumb*) qemu=("${qemu_arm[@]}") ;;
        riscv*) qemu=("${qemu_riscv[@]}") ;;
    esac
    log="target/out/$t.log"
    rc=0
    timeout 300 "${qemu[@]}" "target/out/$t-measure.elf" </dev/null >"$log" 2>&1 || rc=$?
    cat "$log"
    if ((rc != 0)) || ! grep -q "^PASS $t" "$log"; then
        echo "firmware on $t FAILED (QEMU exit status $rc)" >&2
        status=1
    fi
    # Constant time: key generation and the shared secret take the same instructions for
    # exponents of weight 2, 32, 256 and a random one (exactly on RV32; within the
    # counter's resolution of 40 on the Cortex-M4).
    if ! awk -v t="$t" '$1 == "ct" && $2 == t { n++; v = ""; same = 1; tol = (t ~ /^thumb/) ? 40 : 0
            for (i = 4; i <= NF; i++) { split($i, kv, "="); if (v == "") v = kv[2]
                else if (kv[2] - v > tol || v - kv[2] > tol) same = 0 }
            if (!same) bad++ }
            END { exit !(n == 2 && bad == 0) }' "$log"; then
        echo "firmware on $t: instruction counts depend on the exponent" >&2
        status=1
    fi
    # The counter must count the two-instruction calibration loop within 0.1 %.
    if ! awk -v t="$t" '$1 == "calibration" && $2 == t {
            split($3, e, "="); split($4, c, "=");
            d = c[2] - e[2]; if (d < 0) d = -d; ok = (d * 1000 <= e[2]) }
            END { exit !ok }' "$log"; then
        echo "instruction counter on $t does not match the calibration loop" >&2
        status=1
    fi
    # The goals met on the Cortex-M4 stay met: one printer side at most 10 M instructions,
    # the registration's stack at most 8 KiB, the printer's heap at most 4 KiB, the
    # printer's program (enrollee) at most 48 KiB of flash, both roles' drivers
    # (both) at most 64 KiB and PIN + M1 parse at most 8 KiB.
    if [[ $t == thumb* ]] && ! awk -v t="$t" -v pin_m1="$(flash "target/out/$t-pin-m1.elf")" -v enrollee="$(flash "target/out/$t-enrollee.elf")" -v both="$(flash "target/out/$t-both.elf")" '
            $2 == t { for (i = 3; i <= NF; i++) { split($i, kv, "="); f[$1 "." kv[1]] = kv[2] } }
            END {
                bad = 0
                if (!(f["instructions.enrollee_side"] + 0 > 0 && f["instructions.enrollee_side"] <= 10000000)) { print "one printer side: " f["instructions.enrollee_side"] " instructions (goal 10 000 000)"; bad = 1 }
                if (!(f["ram.stack_peak"] + 0 > 0 && f["ram.stack_peak"] <= 8192)) { print "stack peak: " f["ram.stack_peak"] " B (goal 8 192)"; bad = 1 }
                if (!(f["ram.enrollee_heap_peak"] + 0 > 0 && f["ram.enrollee_heap_peak"] <= 4096)) { print "printer heap peak: " f["ram.enrollee_heap_peak"] " B (goal 4 096)"; bad = 1 }
                if (!(pin_m1 + 0 > 0 && pin_m1 <= 8192)) { print "PIN + M1 parse flash: " pin_m1 " B (goal 8 192)"; bad = 1 }
                if (!(enrollee + 0 > 0 && enrollee <= 49152)) { print "enrollee flash: " enrollee " B (goal 49 152)"; bad = 1 }
                if (!(both + 0 > 0 && both <= 65536)) { print "both roles flash: " both " B (goal 65 536)"; bad = 1 }
                exit bad }' "$log" >&2; then
        echo "firmware on $t is past a goal it met" >&2
        status=1
    fi
done
exit $status
