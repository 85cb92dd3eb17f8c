#!/bin/sh
# Usage: gen_ksyms.sh KERNEL_ELF OUT_ASM
# Writes a NASM file with the kernel's function symbols (sorted by address)
# into section .ksyms, the layout of struct ksym in common/include/ksyms.h.
set -eu
elf=$1
out=$2
tmp=$out.tmp
{
    echo "section .ksyms"
    echo "global ksyms_table"
    echo "global ksyms_count"
    echo "align 16"
    echo "ksyms_table:"
    nm -n --defined-only "$elf" | awk '$2 ~ /^[tT]$/ { printf "    dq 0x%s, ksym_name_%d\n", $1, NR }'
    echo "ksyms_count:"
    echo "    dq (ksyms_count - ksyms_table) / 16"
    nm -n --defined-only "$elf" | awk '$2 ~ /^[tT]$/ { printf "ksym_name_%d: db \"%s\", 0\n", NR, $3 }'
} > "$tmp"
mv "$tmp" "$out"
