# Boot image: a GRUB ISO holding the kernel (and, later, the initrd module).
set(ISO_DIR ${CMAKE_BINARY_DIR}/isodir)
set(ISO_FILE ${CMAKE_BINARY_DIR}/sweb.iso)
set(GRUB_MODULES "" CACHE INTERNAL "module lines for grub.cfg")
configure_file(${CMAKE_SOURCE_DIR}/arch/x86_64/boot/grub.cfg.in ${CMAKE_BINARY_DIR}/grub.cfg @ONLY)

add_custom_command(OUTPUT ${ISO_FILE}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ISO_DIR}/boot/grub
  COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:kernel> ${ISO_DIR}/boot/kernel.elf
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_BINARY_DIR}/grub.cfg ${ISO_DIR}/boot/grub/grub.cfg
  COMMAND ${CMAKE_SOURCE_DIR}/utils/mkiso.sh ${ISO_DIR} ${ISO_FILE}
  DEPENDS kernel ${CMAKE_BINARY_DIR}/grub.cfg ${CMAKE_SOURCE_DIR}/utils/mkiso.sh
  COMMENT "Building boot ISO")
add_custom_target(iso ALL DEPENDS ${ISO_FILE})
