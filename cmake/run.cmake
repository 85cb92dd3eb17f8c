# Run and debug targets (make qemu, kvm, bochs, qemugdb, rungdb, bochsdbg,
# bench, help). The emulator command lines live in utils/emulator.py, shared
# with `utils/sweb` and the system tests, so every way of booting is the same.
# Guest memory: SWEB_MEM=256 make qemu.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  set(SWEB_PYTHON ${Python3_EXECUTABLE})
else()
  set(SWEB_PYTHON python3)
endif()
set(SWEB_TOOL ${SWEB_PYTHON} ${CMAKE_SOURCE_DIR}/utils/sweb)
set(SWEB_BOOT ${SWEB_TOOL} boot --build-dir ${CMAKE_BINARY_DIR})

# One interactive boot target; the serial console is this terminal.
function(sweb_boot_target name comment)
  add_custom_target(${name}
    COMMAND ${SWEB_BOOT} ${ARGN}
    DEPENDS iso
    USES_TERMINAL
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
    COMMENT "${comment}"
    VERBATIM)
endfunction()

sweb_boot_target(qemu "Booting in QEMU (TCG, no VMX); Ctrl-A X quits" --emu qemu)
sweb_boot_target(kvm "Booting in QEMU+KVM (-cpu host, VMX if nested)" --emu kvm)
sweb_boot_target(bochs "Booting in Bochs (emulated VMX)" --emu bochs)
sweb_boot_target(qemugdb "Booting in QEMU, waiting for gdb on :1234" --emu qemu --gdb)
# the kernel's own, VMX-aware stub on COM2 (gdb=wait), also on :1234
sweb_boot_target(bochsgdb "Booting in Bochs; the kernel's GDB stub waits on :1234" --emu bochs --stub)
sweb_boot_target(kvmgdb "Booting in QEMU+KVM; the kernel's GDB stub waits on :1234" --emu kvm --stub)
sweb_boot_target(bochsdbg "Booting in Bochs' internal debugger" --emu bochs --debugger)

add_custom_target(rungdb
  COMMAND gdb -q ${CMAKE_BINARY_DIR}/kernel.elf -x ${CMAKE_SOURCE_DIR}/utils/gdbinit
  DEPENDS kernel
  USES_TERMINAL
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  COMMENT "gdb with kernel symbols, connecting to localhost:1234 (make bochsgdb, kvmgdb or qemugdb first)"
  VERBATIM)

add_custom_target(bench
  COMMAND ${SWEB_TOOL} bench --no-build --no-deps --build-dir ${CMAKE_BINARY_DIR}
  DEPENDS iso
  USES_TERMINAL
  COMMENT "Median launch-to-banner time in QEMU TCG and Bochs"
  VERBATIM)

add_custom_target(bench-guests
  COMMAND ${SWEB_TOOL} bench-guests --no-build --no-deps --build-dir ${CMAKE_BINARY_DIR}
  DEPENDS iso
  USES_TERMINAL
  COMMENT "SeaBIOS in a VM in Bochs: wall time, guest and host cycles, exits per device"
  VERBATIM)

add_custom_target(systest
  COMMAND ${SWEB_TOOL} test --no-build --no-deps --build-dir ${CMAKE_BINARY_DIR}
  DEPENDS iso
  USES_TERMINAL
  COMMENT "Unit and system tests (utils/sweb test without rebuilding)"
  VERBATIM)

# Not part of systest (CI keeps the small vmfuzz/fuzz sample of the system
# tests): 10,000 random guests and 1,000,000 random system calls, about
# 20 minutes on two cores (utils/sweb fuzz --vms N --calls N scales it).
add_custom_target(fuzz-long
  COMMAND ${SWEB_TOOL} fuzz --no-build --no-deps --build-dir ${CMAKE_BINARY_DIR}
  DEPENDS iso
  USES_TERMINAL
  COMMENT "The long fuzzing run: vmfuzz in Bochs, the syscall fuzzer in QEMU TCG"
  VERBATIM)

set(SWEB_HELP_LINES
  "SWEB-VX make targets (run them here or in the repository root):"
  "  make            build kernel.elf, userspace and sweb.iso"
  "  make qemu       boot in QEMU TCG, serial console in this terminal (Ctrl-A X quits)"
  "  make kvm        boot in QEMU+KVM with -cpu host (VT-x guests on Intel hosts)"
  "  make bochs      boot in Bochs with emulated VT-x (slower, VMX always available)"
  "  make qemugdb    boot in QEMU halted, waiting for gdb on localhost:1234 (QEMU's stub)"
  "  make bochsgdb   boot in Bochs, the kernel's VMX-aware GDB stub waits on localhost:1234"
  "  make kvmgdb     the same in QEMU+KVM"
  "  make rungdb     start gdb with kernel symbols and utils/gdbinit, attach to :1234"
  "  make bochsdbg   boot in Bochs' internal debugger with kernel symbols loaded"
  "  make bench      median launch-to-banner time in QEMU TCG and Bochs"
  "  make bench-guests  SeaBIOS in a VM in Bochs: time, cycles, exits (utils/sweb bench-guests --linux DIR adds Linux)"
  "  make systest    run all unit and system tests on this build"
  "  make fuzz-long  10,000 random guests and 1,000,000 random system calls (not in CI)"
  "  make test       run only the unit tests (ctest)"
  "  make help       this list"
  "Guest memory: SWEB_MEM=256 make qemu.  Everything at once: utils/sweb test")
set(SWEB_HELP_COMMANDS)
foreach(line IN LISTS SWEB_HELP_LINES)
  list(APPEND SWEB_HELP_COMMANDS COMMAND ${CMAKE_COMMAND} -E echo "${line}")
endforeach()
# "help" is a name CMake reserves for its own target list (policy CMP0037);
# the old policy lets us replace that list with one that says what each does.
set(CMAKE_WARN_DEPRECATED OFF)
cmake_policy(SET CMP0037 OLD)
unset(CMAKE_WARN_DEPRECATED)
add_custom_target(help ${SWEB_HELP_COMMANDS} VERBATIM)
