; smp.bin - every vCPU prints its own index, then halts.
;
; Load/entry: GPA 0x1000, mode real; run with `--vcpus N`. All vCPUs start at
; the same entry; each finds its index in RBX (set by `vm run`/`vm start`).
; Each vCPU builds its line in its own buffer (0x2000 + 128 * index) and
; prints it with one VMCALL, so lines of different vCPUs never mix; the order
; of the lines depends on the host scheduler. No stack is used (all vCPUs
; would share it). Indexes 0..99 are printed.
; Output per vCPU: "[vmN] smp: hello from vCPU I"; then the VM stops
; "halted" once every vCPU has executed HLT.
; Exits: 1 VMCALL and 1 HLT per vCPU.
bits 16
org 0x1000

LINE_BUFFERS equ 0x2000
LINE_SHIFT equ 7                ; 128 bytes per vCPU

start:
    cld
    mov di, bx
    shl di, LINE_SHIFT
    add di, LINE_BUFFERS        ; DI = this vCPU's buffer
    mov bp, di                  ; BP = start of the line

    mov si, msg_hello
.copy:
    lodsb
    test al, al
    jz .number
    stosb
    jmp .copy

.number:
    mov ax, bx                  ; AX = index (0..99)
    mov cl, 10
    div cl                      ; AL = tens, AH = ones
    test al, al
    jz .ones                    ; no leading zero
    add al, '0'
    stosb
.ones:
    mov al, ah
    add al, '0'
    stosb
    mov al, 10                  ; newline ends the line
    stosb

    mov eax, HC_WRITE           ; write(gpa = BP, len = DI - BP)
    movzx ebx, bp
    movzx ecx, di
    sub ecx, ebx
    xor edx, edx
    vmcall
    hlt

msg_hello: db "smp: hello from vCPU ", 0
