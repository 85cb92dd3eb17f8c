; io.bin - every form of port I/O a guest can use, to show how the
; hypervisor decodes IO_INSTRUCTION exits (SDM Vol. 3C 27.2.1, table 27-5).
;
; Load/entry: GPA 0x1000, mode real. Memory used: stack below 0x1000,
; buffers at 0x2000 (line) and 0x2100 (INS target).
; Steps (each I/O instruction exits once per execution; a REP string
; instruction exits per iteration or once, as the hypervisor chooses):
;   1. OUT imm8 byte / DX word / DX dword to unclaimed ports 0xEE and 0x300
;      (the hypervisor ignores them)
;   2. IN byte (imm8 port 0xEE), word and dword (DX = 0x300): an empty
;      ISA bus reads all ones
;   3. REP INSB (8 bytes) and REP INSW (4 words) from port 0x300 into memory
;   4. OUTSB without REP, then REP OUTSB of a line to port 0xE9
;   5. COM1: poll the line status (0x3FD bit 5, transmitter empty) and OUT
;      a line byte by byte to 0x3F8
;   6. prints "io: reads returned all ones: ok" (or "FAILED"), then HLT
; Output:
;   [vmN] io: rep outsb to port 0xe9
;   [vmN] io: out to com1
;   [vmN] io: reads returned all ones: ok
bits 16
org 0x1000

LINE_BUFFER equ 0x2000
INS_BUFFER equ 0x2100
UNCLAIMED_PORT equ 0x300
UNCLAIMED_IMM equ 0xEE          ; no PC device answers there
COM1_DATA equ 0x3F8
COM1_LSR equ 0x3FD
LSR_THR_EMPTY equ 0x20

start:
    xor ax, ax
    mov ss, ax
    mov sp, 0x1000
    cld
    xor bx, bx                  ; BX = number of failed checks

    ; 1. writes to ports nobody claims
    mov al, 0x12
    out UNCLAIMED_IMM, al       ; byte, immediate port
    mov dx, UNCLAIMED_PORT
    mov ax, 0x1234
    out dx, ax                  ; word, port in DX
    mov eax, 0x12345678
    out dx, eax                 ; dword, port in DX

    ; 2. reads from ports nobody claims
    xor ax, ax
    in al, UNCLAIMED_IMM        ; byte, immediate port
    cmp al, 0xFF
    je .in_byte_ok
    inc bx
.in_byte_ok:
    xor ax, ax
    in ax, dx                   ; word
    cmp ax, 0xFFFF
    je .in_word_ok
    inc bx
.in_word_ok:
    xor eax, eax
    in eax, dx                  ; dword
    cmp eax, 0xFFFFFFFF
    je .in_dword_ok
    inc bx
.in_dword_ok:

    ; 3. string input: 8 bytes then 4 words to ES:DI
    mov di, INS_BUFFER
    mov cx, 8
    rep insb
    mov cx, 4
    rep insw
    mov si, INS_BUFFER
    mov cx, 16                  ; all 16 bytes must be 0xFF
.check_ins:
    lodsb
    cmp al, 0xFF
    je .ins_byte_ok
    inc bx
.ins_byte_ok:
    loop .check_ins
    cmp di, INS_BUFFER + 16     ; DI advanced by exactly 16
    je .ins_di_ok
    inc bx
.ins_di_ok:

    ; 4. string output to the debug port: one OUTSB, then REP OUTSB
    mov dx, 0xE9
    mov si, msg_outs
    outsb                       ; the first byte, no REP
    mov cx, msg_outs_len - 1
    rep outsb                   ; the rest of the line

    ; 5. COM1, the way a driver writes: wait for "transmitter empty"
    mov si, msg_com1
.com1_next:
    lodsb
    test al, al
    jz .com1_done
    mov ah, al
    mov dx, COM1_LSR
.com1_wait:
    in al, dx                   ; line status register
    test al, LSR_THR_EMPTY
    jz .com1_wait
    mov al, ah
    mov dx, COM1_DATA
    out dx, al                  ; transmit holding register
    jmp .com1_next
.com1_done:

    ; 6. report
    mov di, LINE_BUFFER
    call lb_init
    mov si, msg_result
    call lb_puts
    mov si, msg_ok
    test bx, bx
    jz .report
    mov si, msg_failed
.report:
    call lb_puts
    call lb_flush
    hlt

msg_outs:   db "io: rep outsb to port 0xe9", 10
msg_outs_len equ $ - msg_outs
msg_com1:   db "io: out to com1", 10, 0
msg_result: db "io: reads returned all ones: ", 0
msg_ok:     db "ok", 10, 0
msg_failed: db "FAILED", 10, 0

%include "rm16.inc"
