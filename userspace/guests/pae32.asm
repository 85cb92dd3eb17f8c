; pae32.bin - PAE paging switched on by a MOV to CR0 that the hypervisor
; emulates: the CPU takes the four PDPTEs from the VMCS at the next entry
; (SDM Vol. 3C 26.3.2.4), so the hypervisor must load them from CR3 the way
; the CPU does on MOV CR0 (SDM Vol. 3A 4.4.1). The write also sets CR0.NE,
; which the host owns (its mask bit), so it exits.
;
; Load/entry: GPA 0x1000, mode prot32 (`--mode prot32`).
; Tables: PDPT at 0x3000 (entry 0 -> PD at 0x4000), PD entry 0 = 2 MiB page
; at 0 (identity), so the code keeps running at the same addresses.
; Expected: "[vmN] pae32: PAE paging on through an emulated MOV CR0", then
; "halted". With PDPTE 0 left empty the next fetch is a #PF without an IDT,
; and the VM stops with a triple fault.
; Exits: 1 CR_ACCESS, 1 VMCALL, 1 HLT.
bits 32
org 0x1000

LINE_BUFFER equ 0x2000
PDPT equ 0x3000
PD equ 0x4000
CR0_PG equ 1 << 31
CR0_NE equ 1 << 5
CR4_PAE equ 1 << 5

start:
    mov edi, PDPT               ; clear PDPT and PD
    xor eax, eax
    mov ecx, 0x2000 / 4
    rep stosd
    mov dword [PDPT], PD | 1    ; PDPTE 0: present, PD at 0x4000
    mov dword [PD], 0x83        ; PDE 0: 2 MiB page at 0, present, writable
    mov eax, cr4
    or eax, CR4_PAE
    mov cr4, eax                ; no exit: the guest owns PAE
    mov eax, PDPT
    mov cr3, eax                ; no exit with EPT
    mov eax, cr0
    or eax, CR0_PG | CR0_NE
    mov cr0, eax                ; exits (NE); paging on afterwards

    mov esi, msg_on
    mov edi, LINE_BUFFER
.copy:
    lodsb
    stosb
    test al, al
    jnz .copy
    dec edi
    mov eax, HC_WRITE
    mov ebx, LINE_BUFFER
    mov ecx, edi
    sub ecx, ebx
    xor edx, edx
    vmcall
    hlt

msg_on: db "pae32: PAE paging on through an emulated MOV CR0", 10, 0
