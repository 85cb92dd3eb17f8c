#!/bin/sh
# Usage: check_ksyms.sh STAGE1_ELF FINAL_ELF
# Fails the build if any function moved between the two links, which would
# make the embedded symbol table lie.
set -eu
a=$(nm -n --defined-only "$1" | awk '$2 ~ /^[tT]$/' | md5sum)
b=$(nm -n --defined-only "$2" | awk '$2 ~ /^[tT]$/' | md5sum)
if [ "$a" != "$b" ]; then
    echo "check_ksyms: function addresses differ between the two links" >&2
    exit 1
fi
