; Empty symbol table for the first link; the final link uses the table that
; utils/gen_ksyms.sh generates from the first.
section .ksyms
global ksyms_table
global ksyms_count
align 16
ksyms_table:
ksyms_count: dq 0
