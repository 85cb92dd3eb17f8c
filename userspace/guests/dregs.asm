; dregs.bin - debug registers are per vCPU: each vCPU finds the reset values
; (DR0-DR3 = 0, DR6 = 0xFFFF0FF0, DR7 = 0x400; SDM Vol. 3A 9.1.1), writes
; its own DR0, DR1, DR6 and DR7, lets the host run other threads for a while
; (the other vCPU among them, which writes different values), and reads its
; own values back. MOV DR does not exit, so only a hypervisor that switches
; the registers between vCPUs passes.
;
; Load/entry: GPA 0x1000, mode real; run with `--vcpus 2` (up to 4).
; vCPU I (index in RBX) writes DR0 = 0x11110000 * (I + 1), DR1 = DR0 + 4,
; DR6 = 0xFFFF0FF0 | (1 << I) (breakpoint condition I) and
; DR7 = 0x400 | (1 << 2I) (breakpoint I enabled locally, on instruction
; fetch at an address this guest never executes).
; Memory used: per vCPU a stack below 0xF00 - 0x200 I, a line buffer at
; 0x2000 + 0x80 I and the values read at 0x4000 + 0x20 I.
; Expected per vCPU: "[vmN] dregs: vCPU I: reset values ok, own values kept",
; then "halted". Otherwise one line per register that differs, with its
; value (decimal).
; Exits: per vCPU, the HC_CLOCK calls of the wait, 1 VMCALL per line, 1 HLT.
bits 16
org 0x1000

LINE_BUFFERS equ 0x2000
VALUES equ 0x4000               ; DR0, DR1, DR2, DR3, DR6, DR7 as dwords
WAIT_NS equ 100000000           ; 100 ms: ten host timer ticks

start:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, bx
    shl sp, 9
    neg sp
    add sp, 0xF00               ; SP = 0xF00 - 0x200 * index
    cld
    mov di, bx
    shl di, 7
    add di, LINE_BUFFERS
    call lb_init                ; BP = this vCPU's line buffer

    call read_all
    mov si, reset_values
    call compare                ; CF = 1: something differed (printed)
    jc .write
    mov byte [ok_reset + bx], 1
.write:
    mov eax, ebx
    inc eax
    imul eax, eax, 0x11110000
    mov dr0, eax
    add eax, 4
    mov dr1, eax
    mov eax, 0xFFFF0FF0
    bts eax, ebx                ; B(index)
    mov dr6, eax
    mov cx, bx
    add cx, cx
    mov eax, 1
    shl eax, cl
    or eax, 0x400               ; L(index)
    mov dr7, eax

    call wait_a_while           ; the host runs other threads meanwhile

    call read_all
    call own_values             ; SI = the expected table for this vCPU
    call compare
    jc .done
    cmp byte [ok_reset + bx], 1
    jne .done
    mov si, msg_vcpu
    call lb_puts
    mov eax, ebx
    call lb_putdec
    mov si, msg_ok
    call lb_puts
    call lb_flush
.done:
    hlt
    jmp .done

; read_all: store DR0, DR1, DR2, DR3, DR6, DR7 at VALUES + 0x20 * index.
; In: BX = index. Clobbers: EAX, SI.
read_all:
    mov si, bx
    shl si, 5
    add si, VALUES
    mov eax, dr0
    mov [si], eax
    mov eax, dr1
    mov [si + 4], eax
    mov eax, dr2
    mov [si + 8], eax
    mov eax, dr3
    mov [si + 12], eax
    mov eax, dr6
    mov [si + 16], eax
    mov eax, dr7
    mov [si + 20], eax
    ret

; own_values: build this vCPU's expected table (as written above) at
; 0x4100 + 0x20 * index. Out: SI = the table. Clobbers: EAX, ECX.
own_values:
    mov si, bx
    shl si, 5
    add si, VALUES + 0x100
    mov eax, ebx
    inc eax
    imul eax, eax, 0x11110000
    mov [si], eax
    add eax, 4
    mov [si + 4], eax
    xor eax, eax
    mov [si + 8], eax
    mov [si + 12], eax
    mov eax, 0xFFFF0FF0
    bts eax, ebx
    mov [si + 16], eax
    mov cx, bx
    add cx, cx
    mov eax, 1
    shl eax, cl
    or eax, 0x400
    mov [si + 20], eax
    ret

; compare: the six values at VALUES + 0x20 * index against the table at
; SI; print "dregs: vCPU I: DRn is V, expected W" for each that differs.
; In: SI, BX = index. Out: CF = 1 if any differed. Clobbers: EAX, ECX, EDX.
compare:
    mov byte [differs + bx], 0
    xor cx, cx                  ; CX = byte offset of the slot: 0, 4, .. 20
.next:
    mov ax, bx
    shl ax, 5
    add ax, VALUES
    add ax, cx
    push si
    add si, cx
    mov edx, [si]               ; EDX = expected
    mov si, ax
    mov eax, [si]               ; EAX = what the register held
    pop si
    cmp eax, edx
    je .same
    mov byte [differs + bx], 1
    call report
.same:
    add cx, 4
    cmp cx, 24
    jb .next
    mov al, [differs + bx]
    neg al                      ; CF = 1 iff AL != 0
    ret

; report: one line "dregs: vCPU I: DRn is V, expected W".
; In: EAX = V, EDX = W, CX = 4 * slot, BX = index. Clobbers: EAX, EDX.
report:
    push cx
    push si
    push edx
    push eax
    mov si, msg_vcpu
    call lb_puts
    mov eax, ebx
    call lb_putdec
    mov si, msg_dr
    call lb_puts
    pop eax
    pop edx
    pop si
    pop cx
    push cx
    push si
    push edx
    push eax
    mov si, cx
    shr si, 2
    mov al, [dr_names + si]
    stosb                       ; the register number
    mov si, msg_is
    call lb_puts
    pop eax
    call lb_putdec
    mov si, msg_expected
    call lb_puts
    pop eax
    call lb_putdec
    mov al, 10
    stosb
    push bx
    call lb_flush
    pop bx
    pop si
    pop cx
    ret

; wait_a_while: spin on HC_CLOCK until WAIT_NS have passed.
; Clobbers: EAX, ECX, EDX, ESI.
wait_a_while:
    push bx
    mov eax, HC_CLOCK
    vmcall
    mov esi, eax                ; start (low 32 bits of the nanoseconds)
.spin:
    mov eax, HC_CLOCK
    vmcall
    sub eax, esi
    cmp eax, WAIT_NS
    jb .spin
    pop bx
    ret

reset_values: dd 0, 0, 0, 0, 0xFFFF0FF0, 0x400
ok_reset: db 0, 0, 0, 0
differs: db 0, 0, 0, 0
dr_names: db "012367"
msg_vcpu: db "dregs: vCPU ", 0
msg_ok: db ": reset values ok, own values kept", 10, 0
msg_dr: db ": DR", 0
msg_is: db " is ", 0
msg_expected: db ", expected ", 0

%include "rm16.inc"
