; serial.bin - a guest that reads its serial line: COM1 receive interrupts
; on IRQ4, one line at a time, for `vm console N` (docs/guests.md).
;
; Load/entry: GPA 0x1000, mode real. Memory used: IVT entry 0x0C, stack
; below 0x1000, line buffer at 0x2000, input at `inbuf`.
; Steps: UART 115200 8N1, FIFOs on (trigger 1), MCR = DTR | RTS | OUT2,
; IER = received data; PIC with only IRQ4 open. The IRQ4 handler drains
; the receive FIFO while LSR.DR says so and ends a line at CR or LF; the
; main loop sleeps in `sti; hlt` and prints each line. The line "quit" ends
; the guest.
; Output:
;   [vmN] serial: ready
;   [vmN] serial: got 'LINE'         for each line typed
;   vmN stopped: halted               after "quit"
bits 16
org 0x1000

COM1 equ 0x3F8
IER equ COM1 + 1
FCR equ COM1 + 2
LCR equ COM1 + 3
MCR equ COM1 + 4
LSR equ COM1 + 5
PIC1_CMD equ 0x20
PIC1_DATA equ 0x21
IRQ4_VECTOR equ 0x0C
LINE equ 0x2000
INPUT_MAX equ 60

start:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x1000
    cld
    mov word [IRQ4_VECTOR * 4], irq4
    mov word [IRQ4_VECTOR * 4 + 2], 0
    mov al, 0x11                ; PIC: ICW1-4, base 8, only IRQ4 open
    out PIC1_CMD, al
    mov al, 0x08
    out PIC1_DATA, al
    mov al, 0x04
    out PIC1_DATA, al
    mov al, 0x01
    out PIC1_DATA, al
    mov al, 0xEF
    out PIC1_DATA, al
    mov dx, LCR
    mov al, 0x80                ; DLAB: divisor 1 = 115200 baud
    out dx, al
    mov dx, COM1
    mov al, 1
    out dx, al
    mov dx, IER
    xor al, al
    out dx, al
    mov dx, LCR
    mov al, 0x03                ; 8N1
    out dx, al
    mov dx, FCR
    mov al, 0x07                ; FIFOs on and cleared, trigger at 1 byte
    out dx, al
    mov dx, MCR
    mov al, 0x0B                ; DTR, RTS, OUT2 (the IRQ gate)
    out dx, al
    mov dx, IER
    mov al, 0x01                ; received data available
    out dx, al
    mov di, LINE
    call lb_init
    mov si, msg_ready
    call lb_puts
    call lb_flush
.wait:
    sti
    hlt                         ; sleeps until IRQ4
    cli
    cmp byte [line_done], 0
    je .wait
    mov si, msg_got
    call lb_puts
    mov si, inbuf
    call lb_puts
    mov si, msg_end
    call lb_puts
    call lb_flush
    mov si, inbuf
    mov di, word_quit
    mov cx, 5                   ; "quit" and its NUL
    repe cmpsb
    je .quit
    mov di, LINE                ; cmpsb moved DI
    mov word [inlen], 0
    mov byte [line_done], 0
    jmp .wait
.quit:
    hlt                         ; IF = 0: "halted"

; IRQ4: take every byte the FIFO holds; CR or LF ends the line.
irq4:
    push ax
    push bx
    push dx
.next:
    mov dx, LSR
    in al, dx
    test al, 0x01               ; data ready?
    jz .eoi
    mov dx, COM1
    in al, dx
    cmp al, 13
    je .end_of_line
    cmp al, 10
    je .end_of_line
    mov bx, [inlen]
    cmp bx, INPUT_MAX
    jae .next                   ; a line too long loses its tail
    mov [inbuf + bx], al
    inc word [inlen]
    jmp .next
.end_of_line:
    mov bx, [inlen]
    mov byte [inbuf + bx], 0
    mov byte [line_done], 1
    jmp .next
.eoi:
    mov al, 0x20
    out PIC1_CMD, al
    pop dx
    pop bx
    pop ax
    iret

%include "rm16.inc"

line_done: db 0
inlen: dw 0
word_quit: db "quit", 0
msg_ready: db "serial: ready", 10, 0
msg_got: db "serial: got '", 0
msg_end: db "'", 10, 0
inbuf: times INPUT_MAX + 1 db 0
