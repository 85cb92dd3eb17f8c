; Guest programs for the VMX self test (vmx_selftest.c), assembled into the
; kernel's read-only data as byte arrays. Each guest is loaded at guest-
; physical GUEST_BASE and started there; guests are position dependent
; only through GUEST_BASE + (label - start), which NASM computes.
; C sees each guest as `extern const uint8_t NAME[], NAME_end[];`.

GUEST_BASE      equ 0x1000
HC_NOT_A_NUMBER equ 99                  ; no hypercall has it (HC_* come from uapi/hypercall.h via -D)
%ifndef HC_WRITE
%error "HC_EXIT, HC_WRITE, HC_CLOCK must be defined (cmake/hypercall.cmake)"
%endif
%define ABS(start, label) (GUEST_BASE + (label) - (start))

%macro GUEST 1
global %1
global %1_end
%1:
%endmacro
%macro END_GUEST 1
%1_end:
%endmacro

; FLAT32_TABLES guest, handler, vector: a flat 32-bit GDT (0x08 code, 0x10
; data) and an IDT whose only gate, vector, is a 32-bit interrupt gate to
; handler, plus the .gdtr/.idtr operands the guest's lgdt/lidt load. The
; labels are local to the guest that expands it.
%macro FLAT32_TABLES 3
align 8
.gdt:
    dq 0
    dq 0x00CF9A000000FFFF               ; 0x08: flat 32-bit code
    dq 0x00CF92000000FFFF               ; 0x10: flat data
.gdt_end:
.idt:
    times %3 dq 0                       ; vectors below ours: not present
    dw (ABS(%1, %2)) & 0xFFFF           ; offset 15:0
    dw 0x08                             ; code selector
    dw 0x8E00                           ; present, DPL 0, 32-bit interrupt gate
    dw (ABS(%1, %2)) >> 16              ; offset 31:16
.idt_end:
.gdtr:
    dw .gdt_end - .gdt - 1
    dd ABS(%1, .gdt)
.idtr:
    dw .idt_end - .idt - 1
    dd ABS(%1, .idt)
%endmacro

section .rodata

; ---- real mode: ESI = iterations of CPUID (leaf 0), then HLT -------------
bits 16
GUEST guest_cpuid_loop
.next:
    xor eax, eax
    cpuid
    dec esi
    jnz .next
    hlt
END_GUEST guest_cpuid_loop

; ---- real mode: what CPUID tells a guest ---------------------------------
GUEST guest_cpuid_bits
    mov eax, 1
    cpuid
    mov edi, ecx                        ; leaf 1 ECX: VMX bit 5, hypervisor bit 31
    mov eax, 0x40000000
    cpuid                               ; EBX ECX EDX = signature
    hlt
END_GUEST guest_cpuid_bits

; ---- real mode: port I/O ----------------------------------------------------
GUEST guest_io
    mov dx, 0xE9
    mov si, ABS(guest_io, .msg)
    mov cx, .msg_end - .msg
    cld
    rep outsb                           ; "hello e9\n" in one exit
    mov al, '!'
    out dx, al                          ; immediate-form port below
    mov al, 10
    out 0xE9, al
    mov dx, 0x3F8
    mov al, 'S'
    out dx, al                          ; COM1 data
    mov al, 10
    out dx, al
    mov dx, 0x1234                      ; nobody there
    mov al, 0x55
    out dx, al                          ; ignored
    in al, dx                           ; 0xFF
    mov bl, al
    in ax, dx                           ; 0xFFFF
    mov bp, ax
    mov dx, 0x3FD
    in al, dx                           ; COM1 line status: 0x60
    mov cl, al
    mov dx, 0x1234
    mov di, 0x3000
    insb                                ; [0x3000] = 0xFF
    hlt
.msg: db "hello e9", 10
.msg_end:
END_GUEST guest_io

; ---- 32-bit protected mode: hypercalls -----------------------------------
bits 32
GUEST guest_vmcall
    mov eax, HC_WRITE                   ; write(gpa, len)
    mov ebx, ABS(guest_vmcall, .msg)
    mov ecx, .msg_end - .msg
    vmcall
    mov esi, eax                        ; = len
    mov eax, HC_CLOCK
    vmcall
    mov edi, eax
    mov eax, HC_NOT_A_NUMBER            ; unknown: -ENOSYS
    vmcall
    mov ebp, eax
    mov eax, HC_EXIT                    ; exit(42)
    mov ebx, 42
    vmcall
    hlt                                 ; not reached
.msg: db "hello from vmcall", 10
.msg_end:
END_GUEST guest_vmcall

; ---- real mode: read, then write a read-only page at 0x2000 --------------
bits 16
GUEST guest_ept_write
    mov al, [0x2000]                    ; reading is allowed
    mov byte [0x2010], 1                ; EPT violation: write at GPA 0x2010
    hlt
END_GUEST guest_ept_write

; ---- real mode: jump to unmapped memory ------------------------------------
GUEST guest_ept_fetch
    jmp 0x0000:0x8000                   ; EPT violation: fetch at GPA 0x8000
END_GUEST guest_ept_fetch

; ---- 32-bit: #UD without an IDT -> #DF -> triple fault ----------------------
bits 32
GUEST guest_triple_fault
    ud2
END_GUEST guest_triple_fault

; ---- real mode: spin with interrupts off -------------------------------------
bits 16
GUEST guest_spin
    cli
.self:
    jmp .self
END_GUEST guest_spin

; ---- one guest per start mode: mark a register the mode's way, print, halt --
GUEST guest_real
    mov ax, 0x1234                      ; 16-bit operand size by default
    mov bx, ax
    mov dx, 0xE9
    mov si, ABS(guest_real, .msg)
    mov cx, .msg_end - .msg
    rep outsb
    hlt
.msg: db "real mode", 10
.msg_end:
END_GUEST guest_real

bits 32
GUEST guest_prot32
    mov ebx, 0x12345678                 ; 32-bit immediate only decodes so in 32-bit mode
    mov dx, 0xE9
    mov esi, ABS(guest_prot32, .msg)
    mov ecx, .msg_end - .msg
    rep outsb
    hlt
.msg: db "protected mode", 10
.msg_end:
END_GUEST guest_prot32

bits 64
GUEST guest_long64
    mov rbx, 0x123456789ABCDEF0         ; 64-bit immediate: only in 64-bit mode
    mov dx, 0xE9
    mov rsi, ABS(guest_long64, .msg)
    mov rcx, .msg_end - .msg
    rep outsb
    mov rax, cr0
    mov r12, rax                        ; the guest's view of CR0
    mov rax, HC_WRITE                   ; write through a 64-bit pointer
    mov rbx, ABS(guest_long64, .msg2)
    mov rcx, .msg2_end - .msg2
    vmcall
    mov rbx, 0x123456789ABCDEF0
    hlt
.msg: db "long mode", 10
.msg_end:
.msg2: db "long mode hypercall", 10
.msg2_end:
END_GUEST guest_long64

; ---- 32-bit: VMX instructions must raise #UD in the guest ------------------
; The #UD handler counts in ESI and resumes at the address in EDI.
bits 32
GUEST guest_vmx_ud
    lgdt [ABS(guest_vmx_ud, .gdtr)]
    lidt [ABS(guest_vmx_ud, .idtr)]
    xor esi, esi
    mov edi, ABS(guest_vmx_ud, .after_vmxon)
    vmxon [ABS(guest_vmx_ud, .region)]
.after_vmxon:
    mov edi, ABS(guest_vmx_ud, .after_vmread)
    mov eax, 0x4402
    vmread ebx, eax
.after_vmread:
    mov edi, ABS(guest_vmx_ud, .after_invept)
    invept eax, [ABS(guest_vmx_ud, .region)]
.after_invept:
    hlt
.ud_handler:
    inc esi
    mov [esp], edi                      ; return to the next test step
    iretd
    FLAT32_TABLES guest_vmx_ud, .ud_handler, 6
align 16
.region:
    times 16 db 0
END_GUEST guest_vmx_ud

; ---- real mode: the CPUID round-trip benchmark ---------------------------
; ESI = iterations. Result: EDI = TSC cycles of the loop with CPUID,
; EBX = cycles of the same loop without it (low 32 bits of the TSC).
bits 16
GUEST guest_bench
    mov ecx, esi                        ; keep the count
    push ecx
    rdtsc
    mov ebp, eax
.with:
    xor eax, eax
    cpuid
    dec esi
    jnz .with
    rdtsc
    sub eax, ebp
    mov edi, eax
    pop esi
    rdtsc
    mov ebp, eax
.without:
    xor eax, eax
    dec esi
    jnz .without
    rdtsc
    sub eax, ebp
    mov ebx, eax
    hlt
END_GUEST guest_bench

; ---- 32-bit: MSRs, INVD, #GP for an MSR that does not exist ----------------
; The #GP handler counts in ESI, drops the error code and resumes at EDI.
bits 32
GUEST guest_msr
    lgdt [ABS(guest_msr, .gdtr)]
    lidt [ABS(guest_msr, .idtr)]
    xor esi, esi
    mov ecx, 0x277                      ; IA32_PAT: write, read back
    mov eax, 0x00070406
    mov edx, 0x00070106
    wrmsr
    xor eax, eax
    xor edx, edx
    rdmsr
    mov ebp, edx                        ; 0x00070106
    mov ecx, 0x1A0                      ; IA32_MISC_ENABLE
    rdmsr
    mov ebx, eax                        ; 0x1801: fast strings, no BTS, no PEBS
    mov edi, ABS(guest_msr, .after_bad)
    mov ecx, 0x12345                    ; no such MSR: #GP
    rdmsr
.after_bad:
    invd                                ; exits, skipped
    hlt
.gp_handler:
    inc esi
    add esp, 4                          ; the error code
    mov [esp], edi
    iretd
    FLAT32_TABLES guest_msr, .gp_handler, 13
END_GUEST guest_msr

; ---- real mode: CPUID leaves 0 (x3), 1 (x2), 0x40000000 (x1) -------------
; The trace records each leaf as the exit's qualification (vmstat -d).
bits 16
GUEST guest_cpuid_leaves
    xor eax, eax
    cpuid
    xor eax, eax
    cpuid
    xor eax, eax
    cpuid
    mov eax, 1
    cpuid
    mov eax, 1
    cpuid
    mov eax, 0x40000000
    cpuid
    hlt
END_GUEST guest_cpuid_leaves

; ---- real mode: XSETBV (exit 55) with valid and invalid XCR0 values ---------
; Each XSETBV exits; the host loads a valid value for the guest (XGETBV does
; not exit, so it shows what the CPU really holds) and injects #GP for an
; invalid one, which the IVT handler below counts in SI and skips.
; Results: EDI = XCR0 after XSETBV 7, EBP = XCR0 after XSETBV 3, SI = #GPs,
; [0x3000] = CPUID.1:ECX after CR4.OSXSAVE was set.
GUEST guest_xsetbv
    xor ax, ax
    mov ds, ax
    mov word [13 * 4], ABS(guest_xsetbv, .gp)   ; IVT vector 13 (#GP): offset
    mov word [13 * 4 + 2], 0                    ; ... and segment
    xor si, si
    mov eax, cr4
    or eax, 1 << 18                     ; CR4.OSXSAVE: XSETBV/XGETBV allowed
    mov cr4, eax
    mov eax, 1
    cpuid
    mov [0x3000], ecx                   ; leaf 1 ECX: OSXSAVE (bit 27) now set
    xor ecx, ecx                        ; XCR0
    xor edx, edx
    mov eax, 7                          ; x87 | SSE | AVX: valid
    xsetbv
    xgetbv
    mov edi, eax
    xor eax, eax                        ; x87 clear: #GP
    xsetbv
    mov eax, 5                          ; AVX without SSE: #GP
    xsetbv
    mov eax, 0x27                       ; one AVX-512 bit of three: #GP
    xsetbv
    mov eax, 1
    inc ecx                             ; XCR1 cannot be set: #GP
    xsetbv
    dec ecx
    mov edx, 0x40000000                 ; bit 62, reserved: #GP
    xsetbv
    xor edx, edx
    mov eax, 3                          ; x87 | SSE: valid
    xsetbv
    xgetbv
    mov ebp, eax
    hlt
.gp:                                    ; #GP: count it, skip the XSETBV (0F 01 D1)
    inc si
    push bp
    mov bp, sp
    add word [bp + 2], 3                ; the return IP on the stack
    pop bp
    iret
END_GUEST guest_xsetbv

; ---- real mode: INS/OUTS elements across a page, and into unmapped memory --
; (found by vmfuzz: these used to stop the VM as a host-side error)
bits 16
GUEST guest_string_edges
    mov dword [0x2FFE], 0x64636261      ; "abcd" across the 0x3000 page boundary
    mov si, 0x2FFE
    mov dx, 0xE9
    cld
    outsd                               ; one element, two pages: 'a' (low byte)
    mov al, 10
    out dx, al
    mov di, 0x3FFE
    mov dx, 0x1234
    insd                                ; 0xFFFFFFFF over 0x3FFE..0x4001
    mov ax, 0x2000
    mov es, ax
    xor di, di
global guest_string_edges_insb
guest_string_edges_insb:
    insb                                ; ES:DI = GPA 0x20000: not mapped
    hlt                                 ; not reached: EPT violation, write
END_GUEST guest_string_edges

; ---- 64-bit: OUTS from a linear address the guest's paging lacks -----------
; The CPU would raise #PF (CR2 = the address, error code 0: read,
; supervisor, not present); the handler returns CR2 in RAX, the error code
; in RBX. The kernel's identity tables cover the first 1 GiB only.
bits 64
GUEST guest_string_pf
    lea rax, [rel .handler]
    mov rdi, 0x3000 + 14 * 16           ; IDT at 0x3000, gate 14
    mov [rdi], ax                       ; offset 15:0
    mov word [rdi + 2], 0x08            ; code selector of the kernel-made GDT
    mov word [rdi + 4], 0x8E00          ; present, DPL 0, 64-bit interrupt gate
    shr rax, 16
    mov [rdi + 6], ax                   ; offset 31:16
    shr rax, 16
    mov [rdi + 8], eax                  ; offset 63:32
    mov dword [rdi + 12], 0
    mov word [0x2F00], 256 * 16 - 1
    mov qword [0x2F02], 0x3000
    lidt [0x2F00]
    mov rax, -1
    mov rbx, -1
    mov dx, 0xE9
    mov rsi, 0x40000000                 ; 1 GiB: no page there
    outsb
    hlt                                 ; not reached
.handler:
    mov rax, cr2
    pop rbx                             ; the error code
    hlt
END_GUEST guest_string_pf

; ---- real mode: REP OUTSB forever, which the host emulates 4096 bytes per
; exit: almost all of the time is the host's (found by vmfuzz: the time
; limit counted guest time only, so this never stopped) ----------------------
bits 16
GUEST guest_rep_io_loop
    cld
    mov dx, 0x80                        ; ignored port
.again:
    mov si, 0x2000
    mov cx, 0xFFFF
    rep outsb
    jmp .again
END_GUEST guest_rep_io_loop
