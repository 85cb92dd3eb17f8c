; ept.bin - touches one page with a read, a write and an instruction fetch,
; so the caller's EPT rights for that page decide where the guest stops
; (SDM Vol. 3C 29.3.3: an access the EPT entry does not allow causes an
; EPT_VIOLATION exit; the hypervisor stops the VM and names the access).
;
; Load/entry: GPA 0x1000, mode real. The test page is GPA 0x8000.
; The guest reads 0x8000, writes a HLT opcode there, then jumps to it:
;   vm run /guests/ept.bin --map 0x8000:4K:rwx  -> halted (HLT at 0x8000)
;   vm run /guests/ept.bin --map 0x8000:4K:rw   -> EPT violation: fetch at GPA 0x8000
;   vm run /guests/ept.bin --map 0x8000:4K:r    -> EPT violation: write at GPA 0x8000
;   vm run /guests/ept.bin --map 0x8000:4K:-    -> EPT violation: read at GPA 0x8000
; Each step prints a line (one VMCALL) before it is tried.
bits 16
org 0x1000

LINE_BUFFER equ 0x2000
TEST_PAGE equ 0x8000
HLT_OPCODE equ 0xF4

start:
    xor ax, ax
    mov ss, ax
    mov sp, 0x1000
    mov di, LINE_BUFFER
    call lb_init

    mov si, msg_read
    call say
    mov al, [TEST_PAGE]         ; needs R

    mov si, msg_write
    call say
    mov byte [TEST_PAGE], HLT_OPCODE ; needs W

    mov si, msg_fetch
    call say
    jmp TEST_PAGE               ; needs X; executes the HLT written above

; say: print the NUL-terminated line at SI with one hypercall.
say:
    call lb_puts
    jmp lb_flush                ; tail call: lb_flush returns to our caller

msg_read:  db "ept: reading 0x8000", 10, 0
msg_write: db "ept: writing 0x8000", 10, 0
msg_fetch: db "ept: executing 0x8000", 10, 0

%include "rm16.inc"
