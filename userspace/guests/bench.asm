; bench.bin - CPUID round-trip benchmark (the VM-exit path's cost, docs/vmx.md).
;
; Load/entry: GPA 0x1000, mode real. Runs 100000 CPUIDs between two RDTSCs,
; then the same loop without the CPUID, and prints the difference per
; iteration: the TSC cycles one CPUID costs as the guest sees it, i.e. the
; VM exit, the hypervisor's handling and the VM entry. RDTSC itself does not
; exit (RDTSC exiting is off), so the guest reads the host TSC directly.
; In Bochs the TSC advances one tick per executed instruction (guest or
; host), so the figure counts the host instructions of one round trip.
; Memory used: stack below 0x1000, line buffer at 0x2000.
; Output:
;   [vmN] bench: 100000 iterations: cpuid loop C1 cycles, empty loop C2 cycles
;   [vmN] bench: X.YY cycles per CPUID round trip
; Exits: 100000 CPUID + 2 VMCALL + 1 HLT (+ timer EXTERNAL_INTERRUPTs).
bits 16
org 0x1000

LINE_BUFFER equ 0x2000
ITERATIONS equ 100000

start:
    xor ax, ax
    mov ss, ax
    mov sp, 0x1000

    rdtsc                       ; EDX:EAX = TSC before the CPUID loop
    mov [t0], eax
    mov [t0 + 4], edx
    mov esi, ITERATIONS
.with_cpuid:
    xor eax, eax
    cpuid                       ; the round trip being measured
    dec esi
    jnz .with_cpuid

    rdtsc                       ; end of the CPUID loop = start of the empty one
    mov [t1], eax
    mov [t1 + 4], edx
    mov esi, ITERATIONS
.without_cpuid:
    xor eax, eax                ; same loop body, minus the CPUID
    dec esi
    jnz .without_cpuid
    rdtsc
    mov [t2], eax
    mov [t2 + 4], edx

    ; cpuid_loop = t1 - t0, empty_loop = t2 - t1 (64-bit subtractions)
    mov eax, [t1]
    mov edx, [t1 + 4]
    sub eax, [t0]
    sbb edx, [t0 + 4]
    mov [cpuid_loop], eax
    mov [cpuid_loop + 4], edx
    mov eax, [t2]
    mov edx, [t2 + 4]
    sub eax, [t1]
    sbb edx, [t1 + 4]
    mov [empty_loop], eax

    ; line 1: the raw loop times (each fits 32 bits: < 4e9 instructions)
    mov di, LINE_BUFFER
    call lb_init
    mov si, msg_head
    call lb_puts
    mov eax, [cpuid_loop]
    call lb_putdec
    mov si, msg_mid
    call lb_puts
    mov eax, [empty_loop]
    call lb_putdec
    mov si, msg_cycles
    call lb_puts
    call lb_flush

    ; hundredths = (cpuid_loop - empty_loop) / (ITERATIONS / 100)
    mov eax, [cpuid_loop]
    mov edx, [cpuid_loop + 4]
    sub eax, [empty_loop]
    sbb edx, 0
    mov ecx, ITERATIONS / 100
    div ecx                     ; EAX = round trip in 1/100 cycles
    xor edx, edx
    mov ecx, 100
    div ecx                     ; EAX = whole cycles, EDX = hundredths
    mov [whole], eax
    mov [hundredths], edx
    mov si, msg_bench
    call lb_puts                ; (clobbers AL)
    mov eax, [whole]
    call lb_putdec
    mov al, '.'
    stosb
    mov eax, [hundredths]
    call lb_putdec2
    mov si, msg_per
    call lb_puts
    call lb_flush
    hlt

msg_head:   db "bench: 100000 iterations: cpuid loop ", 0
msg_mid:    db " cycles, empty loop ", 0
msg_cycles: db " cycles", 10, 0
msg_bench:  db "bench: ", 0
msg_per:    db " cycles per CPUID round trip", 10, 0

align 4
t0:         dd 0, 0
t1:         dd 0, 0
t2:         dd 0, 0
cpuid_loop: dd 0, 0
empty_loop: dd 0, 0
whole:      dd 0
hundredths: dd 0

%include "rm16.inc"
