; Boot entry: GRUB (Multiboot2) jumps here in 32-bit protected mode with
; paging off, EAX = 0x36D76289 and EBX = physical address of the boot
; information. We build throw-away page tables, enter long mode and jump to
; the higher-half kernel. The kernel replaces these tables in paging_init().
;
; Boot page tables map the first 1 GiB three times with 2 MiB pages:
;   identity (needed while we switch), at PHYS_MAP_BASE (the direct map the
;   kernel uses to reach physical memory) and at KERNEL_VMA (the kernel image).

bits 32

KERNEL_VMA      equ 0xFFFFFFFF80000000
MB2_MAGIC       equ 0xE85250D6          ; Multiboot2 spec 3.1.1 header magic
MB2_ARCH_I386   equ 0
PTE_P           equ 1 << 0
PTE_W           equ 1 << 1
PTE_PS          equ 1 << 7              ; 2 MiB page in a PD entry
CR4_PAE         equ 1 << 5
CR0_PG          equ 1 << 31
CR0_WP          equ 1 << 16
MSR_EFER        equ 0xC0000080
EFER_LME        equ 1 << 8
EFER_NXE        equ 1 << 11

section .multiboot2
align 8
mb2_header:
    dd MB2_MAGIC
    dd MB2_ARCH_I386
    dd mb2_header_end - mb2_header
    dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    ; end tag: type 0, flags 0, size 8
    dw 0, 0
    dd 8
mb2_header_end:

section .boot32
global boot_entry32
boot_entry32:
    cli
    mov esp, boot_stack32_top
    mov edi, eax                        ; keep magic and info for kmain
    mov esi, ebx

    ; PD: 512 entries of 2 MiB covering 0..1 GiB
    mov ecx, 0
.fill_pd:
    mov eax, ecx
    shl eax, 21
    or eax, PTE_P | PTE_W | PTE_PS
    mov [boot_pd + ecx * 8], eax
    mov dword [boot_pd + ecx * 8 + 4], 0
    inc ecx
    cmp ecx, 512
    jne .fill_pd

    ; PDPT low: entry 0 -> PD (identity and direct map share it)
    mov eax, boot_pd
    or eax, PTE_P | PTE_W
    mov [boot_pdpt_low], eax
    ; PDPT high: entry 510 (0xFFFFFFFF80000000) -> PD
    mov [boot_pdpt_high + 510 * 8], eax

    mov eax, boot_pdpt_low
    or eax, PTE_P | PTE_W
    mov [boot_pml4], eax                ; identity
    mov [boot_pml4 + 256 * 8], eax      ; PHYS_MAP_BASE 0xFFFF800000000000
    mov eax, boot_pdpt_high
    or eax, PTE_P | PTE_W
    mov [boot_pml4 + 511 * 8], eax      ; kernel image

    mov eax, boot_pml4
    mov cr3, eax
    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_LME | EFER_NXE
    wrmsr
    mov eax, cr0
    or eax, CR0_PG | CR0_WP
    mov cr0, eax                        ; now in compatibility mode

    lgdt [boot_gdtr]
    jmp 0x08:boot_entry64_low           ; load a 64-bit CS

bits 64
boot_entry64_low:
    mov rax, boot_entry64_high          ; leave the identity map
    jmp rax

section .boot32.data
align 4096
boot_pml4:      times 512 dq 0
boot_pdpt_low:  times 512 dq 0
boot_pdpt_high: times 512 dq 0
boot_pd:        times 512 dq 0
boot_stack32:   times 64 dd 0
boot_stack32_top:

align 8
boot_gdt:
    dq 0
    dq 0x00AF9A000000FFFF               ; 64-bit code, DPL 0
    dq 0x00CF92000000FFFF               ; data, DPL 0
boot_gdtr:
    dw boot_gdtr - boot_gdt - 1
    dq boot_gdt

section .text
extern kmain
boot_entry64_high:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    xor rbp, rbp                        ; terminates backtraces
    ; edi = magic, esi = info (physical), zero-extended by the 32-bit movs
    mov edi, edi
    mov esi, esi
    call kmain
.hang:
    cli
    hlt
    jmp .hang

section .bss
align 4096
; paging_init unmaps this page, so overflowing the boot stack (the idle
; thread's stack later) faults into a #DF dump instead of corrupting .bss.
global boot_stack_guard
boot_stack_guard:
    resb 4096
global boot_stack_bottom
boot_stack_bottom:
    resb 16384
global boot_stack_top
boot_stack_top:
