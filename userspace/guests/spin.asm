; spin.bin - a guest that never gives the CPU back on its own: interrupts
; off, endless loop. The host still runs because external-interrupt exiting
; is on: every host timer interrupt causes an EXTERNAL_INTERRUPT exit, and
; the scheduler can switch to other threads. Stop it with `vm kill N` or
; `vm run ... --timeout MS`.
;
; Load/entry: GPA 0x1000; the two instructions encode the same in real,
; 32-bit and 64-bit mode, so any --mode works.
bits 16
org 0x1000

start:
    cli                         ; guest IF = 0: the guest takes no interrupts
    jmp $                       ; but the host's timer still exits the guest
