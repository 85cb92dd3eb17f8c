; pit.bin - the PC timer path end to end: the guest programs the 8259A PIC
; and the 8254 PIT itself and counts IRQ0 through its own interrupt vector
; table entry, the way a BIOS or an old DOS program does.
;
; Load/entry: GPA 0x1000, mode real. Memory used: IVT entry 8 (0x20), stack
; below 0x1000, line buffer at 0x2000.
; Steps:
;   1. PIC: ICW1-4 (vector base 8, slave on IR2, 8086 mode), only IRQ0
;      unmasked; PIT channel 0 in mode 2 at 100 Hz (divisor 11932).
;   2. With IF = 1, wait 505 ms measured with PIT channel 2 running freely
;      (mode 2, count 65536; the guest latches and reads it and adds up
;      the differences, so time the host takes between two reads is still
;      counted, as long as it is under 54.9 ms): ticks come at 10, 20, ...,
;      500 ms, so exactly 50 land inside 505 ms.
;   3. 20 times `sti; hlt; cli`: each HLT must end with an IRQ0 (the tick
;      counter moved).
;   4. With IF = 0 wait 50.5 ms (channel 2 in mode 0, GATE2 on, poll OUT2 in
;      port 0x61 bit 5: four or five timer edges, the PIC holds one request),
;      check that no tick was taken, then `sti; nop; cli`: exactly one tick
;      arrives.
;   5. POST code 0x5A to port 0x80, then a reset through the 8042 (command
;      0xFE): the VM stops with "reset".
; Output:
;   [vmN] pit: 50 IRQ0 ticks in 505 ms of channel 2
;   [vmN] hlt: 20 of 20 wakeups by IRQ0
;   [vmN] cli: 0 ticks while IF=0, 1 after sti
;   vmN stopped: reset
bits 16
org 0x1000

PIC1_CMD equ 0x20
PIC1_DATA equ 0x21
PIT_CH0 equ 0x40
PIT_CH2 equ 0x42
PIT_CONTROL equ 0x43
SYSCTL_B equ 0x61               ; bit 0 GATE2, bit 1 speaker, bit 5 OUT2
KBC_CMD equ 0x64
POST_PORT equ 0x80
IRQ0_VECTOR equ 8               ; the PC BIOS's master base
DIVISOR_100HZ equ 11932         ; 1193182 Hz / 100
DELAY_COUNT equ 60256           ; 50.50 ms of the 1.193182 MHz PIT clock
DELAY_CLOCKS equ 602557         ; 505 ms of it
HLT_ROUNDS equ 20
LINE equ 0x2000

start:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x1000
    cld
    mov word [IRQ0_VECTOR * 4], irq0    ; IVT entry: offset, segment 0
    mov word [IRQ0_VECTOR * 4 + 2], 0

    ; 1. PIC and PIT
    mov al, 0x11                ; ICW1: edge triggered, cascade, ICW4 follows
    out PIC1_CMD, al
    mov al, IRQ0_VECTOR         ; ICW2: IR0 -> vector 8
    out PIC1_DATA, al
    mov al, 0x04                ; ICW3: a slave on IR2
    out PIC1_DATA, al
    mov al, 0x01                ; ICW4: 8086 mode, normal EOI
    out PIC1_DATA, al
    mov al, 0xFE                ; OCW1: only IRQ0
    out PIC1_DATA, al
    mov al, 0x34                ; channel 0, LSB then MSB, mode 2, binary
    out PIT_CONTROL, al
    mov ax, DIVISOR_100HZ
    out PIT_CH0, al
    mov al, ah
    out PIT_CH0, al             ; channel 0 counts from here
    mov dword [ticks], 0

    ; 2. count ticks over 505 ms of channel 2's clock
    call ch2_free_run
    sti
    xor ebp, ebp                ; PIT clocks elapsed
    call ch2_read
    mov bx, ax                  ; BX = the count at the last look
.delay:
    call ch2_read
    sub bx, ax                  ; clocks since the last look (mod 2^16: it counts down)
    movzx edx, bx
    add ebp, edx
    mov bx, ax
    cmp ebp, DELAY_CLOCKS
    jb .delay
    cli
    mov di, LINE
    call lb_init
    mov si, msg_pit1
    call lb_puts
    mov eax, [ticks]
    call lb_putdec
    mov si, msg_pit2
    call lb_puts
    call lb_flush

    ; 3. HLT waits for the next interrupt
    xor esi, esi                ; wakeups that came with a tick
    mov cx, HLT_ROUNDS
.halt:
    mov eax, [ticks]
    sti
    hlt                         ; in sti's shadow: no interrupt slips in before it
    cli
    cmp [ticks], eax
    je .no_tick
    inc esi
.no_tick:
    loop .halt
    mov [wakeups], esi          ; lb_puts uses SI
    mov si, msg_hlt1
    call lb_puts
    mov eax, [wakeups]
    call lb_putdec
    mov si, msg_hlt2
    call lb_puts
    call lb_flush

    ; 4. an interrupt raised while IF = 0 waits for sti
    mov dword [ticks], 0
    call ch2_wait               ; IF = 0 all along
    mov ebx, [ticks]            ; 0: nothing was taken
    sti
    nop                         ; the request arrives once sti's shadow is over
    cli
    mov si, msg_cli1
    call lb_puts
    mov eax, ebx
    call lb_putdec
    mov si, msg_cli2
    call lb_puts
    mov eax, [ticks]
    call lb_putdec
    mov si, msg_cli3
    call lb_puts
    call lb_flush

    ; 5. a POST code (`vm info` shows the last), then reset the machine like
    ;    a PC BIOS does
    mov al, 0x5A
    out POST_PORT, al
    mov al, 0xFE                ; 8042: pulse the reset line
    out KBC_CMD, al
    hlt                         ; not reached

; ch2_free_run: channel 2 in mode 2 with the full count (65536 clocks,
; 54.9 ms), GATE2 on: a clock to read, not to wait for. Clobbers AL.
ch2_free_run:
    in al, SYSCTL_B
    and al, 0xFC                ; speaker off
    or al, 0x01                 ; GATE2 on
    out SYSCTL_B, al
    mov al, 0xB4                ; channel 2, LSB then MSB, mode 2, binary
    out PIT_CONTROL, al
    xor al, al
    out PIT_CH2, al
    out PIT_CH2, al             ; count 0 = 65536
    ret

; ch2_read: AX = channel 2's count, latched (counter latch command) so the
; two bytes belong together. Clobbers AL.
ch2_read:
    mov al, 0x80                ; counter latch, channel 2
    out PIT_CONTROL, al
    in al, PIT_CH2
    mov ah, al
    in al, PIT_CH2
    xchg al, ah                 ; AL = LSB, AH = MSB
    ret

; ch2_wait: wait DELAY_COUNT PIT clocks with channel 2 in mode 0, polling
; OUT2. Clobbers AL.
ch2_wait:
    in al, SYSCTL_B
    and al, 0xFC                ; speaker off
    or al, 0x01                 ; GATE2 on
    out SYSCTL_B, al
    mov al, 0xB0                ; channel 2, LSB then MSB, mode 0, binary
    out PIT_CONTROL, al         ; OUT2 goes low
    mov al, DELAY_COUNT & 0xFF
    out PIT_CH2, al
    mov al, DELAY_COUNT >> 8
    out PIT_CH2, al             ; counting starts (GATE2 is high)
.poll:
    in al, SYSCTL_B
    test al, 0x20               ; OUT2 high: terminal count
    jz .poll
    ret

; IRQ0 handler: count and end the interrupt at the PIC.
irq0:
    inc dword [cs:ticks]
    push ax
    mov al, 0x20                ; OCW2: non-specific EOI
    out PIC1_CMD, al
    pop ax
    iret

%include "rm16.inc"

ticks: dd 0
wakeups: dd 0
msg_pit1: db "pit: ", 0
msg_pit2: db " IRQ0 ticks in 505 ms of channel 2", 10, 0
msg_hlt1: db "hlt: ", 0
msg_hlt2: db " of 20 wakeups by IRQ0", 10, 0
msg_cli1: db "cli: ", 0
msg_cli2: db " ticks while IF=0, ", 0
msg_cli3: db " after sti", 10, 0
