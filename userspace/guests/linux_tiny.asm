; linux_tiny.bin - a bzImage that is not Linux: a valid protocol 2.15 setup
; header (bzimage.inc) and a few bytes of 64-bit code, to test `vm run
; --linux` without a real kernel. At the 64-bit entry it checks what the
; boot protocol promises (CS = 0x10, DS = ES = SS = 0x18, RSI = boot_params
; with the "HdrS" header, type_of_loader set, interrupts off) and prints on
; port 0xE9 the command line, the e820 entry count and the initrd size in
; hex, then halts.
;
; Expected (vm run /guests/linux_tiny.bin --linux --append "hello tiny" --mem 2M):
;   [vmN] tiny: boot protocol state ok
;   [vmN] tiny: cmdline "hello tiny"
;   [vmN] tiny: e820 3, initrd 0x0
;   vmN stopped: halted
BZ_VERSION equ 0x020F
BZ_INIT_SIZE equ 0x10000
BZ_SYSSIZE equ kernel_end - kernel
%include "bzimage.inc"

bits 64
kernel:                          ; loaded at 0x100000
    times 0x200 db 0xF4          ; startup_32 would be here: hlt
entry64:                         ; 0x100200, entered in 64-bit mode
    lea rsp, [rel kernel + BZ_INIT_SIZE]   ; no stack is promised: use the end of init_size
    mov ax, cs
    cmp ax, 0x10                 ; __BOOT_CS
    jne bad
    mov ax, ds
    cmp ax, 0x18                 ; __BOOT_DS
    jne bad
    mov ax, es
    cmp ax, 0x18
    jne bad
    mov ax, ss
    cmp ax, 0x18
    jne bad
    pushfq
    pop rax
    test eax, 0x200              ; IF must be 0
    jnz bad
    cmp dword [rsi + 0x202], 'HdrS'
    jne bad
    cmp byte [rsi + 0x210], 0    ; type_of_loader written by the loader
    je bad
    lea rbx, [rel msg_ok]
    call puts
    lea rbx, [rel msg_cmd]
    call puts
    mov ebx, [rsi + 0x228]       ; cmd_line_ptr
    call puts
    lea rbx, [rel msg_e820]
    call puts
    movzx eax, byte [rsi + 0x1E8]  ; e820_entries
    call puthex
    lea rbx, [rel msg_initrd]
    call puts
    mov eax, [rsi + 0x21C]       ; ramdisk_size
    call puthex
    mov al, 10
    out 0xE9, al
    hlt                          ; IF = 0: the vCPU stops, "halted"
bad:
    lea rbx, [rel msg_bad]
    call puts
    hlt

puts:                            ; print the NUL-terminated string at rbx
    mov al, [rbx]
    test al, al
    jz .done
    out 0xE9, al
    inc rbx
    jmp puts
.done:
    ret

puthex:                          ; print eax as 0x... without leading zeros
    mov r11d, eax                ; the value
    mov al, '0'
    out 0xE9, al
    mov al, 'x'
    out 0xE9, al
    mov ecx, 28                  ; shift of the current digit
    xor r8d, r8d                 ; 1 once a digit was printed
.next:
    mov eax, r11d
    shr eax, cl
    and eax, 0xF
    test ecx, ecx
    jz .print                    ; the last digit always
    test r8d, r8d
    jnz .print
    test eax, eax
    jz .skip                     ; a leading zero
.print:
    mov r8d, 1
    lea r9, [rel hex]
    mov al, [r9 + rax]
    out 0xE9, al
.skip:
    sub ecx, 4
    jns .next
    ret

hex: db "0123456789abcdef"
msg_ok: db "tiny: boot protocol state ok", 10, 0
msg_cmd: db 'tiny: cmdline "', 0
msg_e820: db '"', 10, "tiny: e820 ", 0
msg_initrd: db ", initrd ", 0
msg_bad: db "tiny: boot protocol state WRONG", 10, 0
    align 16
kernel_end:
