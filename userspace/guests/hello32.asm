; hello32.bin - 32-bit protected-mode guest (flat segments, no paging).
;
; Load/entry: GPA 0x1000; start with `--mode prot32`. The hypervisor sets up
; flat 4 GiB code and data segments but no GDT, so this code must never load
; a segment register.
; Expected: "[vmN] Hello from a 32-bit protected-mode guest", then "halted".
; Exits: 41 IO_INSTRUCTION (one per byte), 1 HLT.
bits 32
org 0x1000

start:
    mov esi, message            ; flat: offset = GPA
.next:
    lodsb                       ; AL = [ESI], ESI++
    test al, al
    jz .done
    out 0xE9, al                ; VM exit IO_INSTRUCTION
    jmp .next
.done:
    hlt                         ; VM exit HLT

message: db "Hello from a 32-bit protected-mode guest", 10, 0
