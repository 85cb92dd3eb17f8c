; uart.bin - the 16550A UART at 0x3F8 (COM1) as a driver sees it: loopback
; self-test, then a line sent from the THR-empty interrupt on IRQ4.
;
; Load/entry: GPA 0x1000, mode real. Memory used: IVT entry 0x0C (IRQ4 with
; the PIC's base 8), stack below 0x1000, line buffer at 0x2000.
; Steps:
;   1. 115200 baud 8N1, FIFOs on; MCR = LOOP | RTS | DTR. Each byte of
;      "SWEB" written to THR must come back in RBR with LSR.DR set, and MSR
;      must show CTS and DSR (looped from RTS and DTR), not RI or DCD.
;   2. MCR = DTR | RTS | OUT2 (OUT2 gates IRQ4 on a PC), PIC with only IRQ4
;      open, IER = THRE: every interrupt's handler checks the IIR (THRE),
;      sends the next byte of a line and sends an EOI; the main loop waits
;      in `sti; hlt` until the line is out.
; Output:
;   [vmN] uart: loopback 4 of 4 bytes back, modem lines ok
;   [vmN] uart: sent by THRE interrupts on IRQ4
;   vmN stopped: halted
bits 16
org 0x1000

COM1 equ 0x3F8
THR equ COM1 + 0
IER equ COM1 + 1
IIR equ COM1 + 2
FCR equ COM1 + 2
LCR equ COM1 + 3
MCR equ COM1 + 4
LSR equ COM1 + 5
MSR equ COM1 + 6
PIC1_CMD equ 0x20
PIC1_DATA equ 0x21
IRQ4_VECTOR equ 0x0C
LINE equ 0x2000

start:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x1000
    cld

    ; 1. loopback
    mov dx, LCR
    mov al, 0x80                ; DLAB
    out dx, al
    mov dx, COM1
    mov al, 1                   ; divisor 1: 115200 baud
    out dx, al
    mov dx, IER
    xor al, al
    out dx, al                  ; divisor high byte
    mov dx, LCR
    mov al, 0x03                ; 8N1, DLAB off
    out dx, al
    mov dx, FCR
    mov al, 0x07                ; FIFOs on and cleared
    out dx, al
    mov dx, MCR
    mov al, 0x13                ; LOOP, RTS, DTR
    out dx, al
    xor bx, bx                  ; bytes that came back
    mov si, pattern
.loop_byte:
    lodsb
    test al, al
    jz .loop_done
    mov ah, al
    mov dx, THR
    out dx, al
    mov dx, LSR
    in al, dx
    test al, 0x01               ; data ready?
    jz .loop_byte
    mov dx, COM1
    in al, dx
    cmp al, ah
    jne .loop_byte
    inc bx
    jmp .loop_byte
.loop_done:
    mov dx, MSR
    in al, dx
    and al, 0xF0
    mov [modem], al
    mov di, LINE
    call lb_init
    mov si, msg_loop1
    call lb_puts
    movzx eax, bx
    call lb_putdec
    mov si, msg_loop2
    call lb_puts
    mov si, msg_ok
    cmp byte [modem], 0x30      ; CTS | DSR
    je .modem_text
    mov si, msg_bad
.modem_text:
    call lb_puts
    call lb_flush

    ; 2. interrupt-driven transmit
    mov word [IRQ4_VECTOR * 4], irq4
    mov word [IRQ4_VECTOR * 4 + 2], 0
    mov al, 0x11                ; ICW1
    out PIC1_CMD, al
    mov al, 0x08                ; ICW2: base 8
    out PIC1_DATA, al
    mov al, 0x04                ; ICW3
    out PIC1_DATA, al
    mov al, 0x01                ; ICW4
    out PIC1_DATA, al
    mov al, 0xEF                ; only IRQ4
    out PIC1_DATA, al
    mov dx, MCR
    mov al, 0x0B                ; DTR, RTS, OUT2
    out dx, al
    mov word [next], line_out
    mov dx, IER
    mov al, 0x02                ; THR empty: interrupts at once
    out dx, al
.wait:
    sti
    hlt
    cli
    cmp byte [done], 0
    je .wait
    hlt                         ; IF = 0: stop

; IRQ4: if the UART says THR empty, send the next byte; at the end of the
; line turn the interrupt off.
irq4:
    push ax
    push dx
    push si
    mov dx, IIR
    in al, dx
    and al, 0x0F
    cmp al, 0x02                ; THRE is the source
    jne .eoi
    mov si, [next]
    lodsb
    test al, al
    jz .last
    mov dx, THR
    out dx, al
    mov [next], si
    jmp .eoi
.last:
    mov dx, IER
    xor al, al
    out dx, al
    mov byte [done], 1
.eoi:
    mov al, 0x20
    out PIC1_CMD, al
    pop si
    pop dx
    pop ax
    iret

%include "rm16.inc"

pattern: db "SWEB", 0
modem: db 0
done: db 0
next: dw 0
line_out: db "uart: sent by THRE interrupts on IRQ4", 10, 0
msg_loop1: db "uart: loopback ", 0
msg_loop2: db " of 4 bytes back, modem lines ", 0
msg_ok: db "ok", 10, 0
msg_bad: db "wrong", 10, 0
