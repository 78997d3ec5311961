"""The real-kernel backend: the same commands on a real Linux in QEMU.

The folder's modules are built with the real kbuild against the installed
headers, packed with busybox and Debian's kmod into an initramfs, and the
installed Debian kernel boots it under QEMU (TCG: no KVM needed).  Its
/init runs each command, marks its stdout, stderr and exit status on the
serial console, and powers off; `machine.run()` parses that back into
steps.  Nothing is left behind: every file lives in one temp folder.

  machine.py    packages check, kbuild, initramfs, boot, parse
  transcript.py the recorded text form (the one tests/reference uses)
  cli.py        kmodsim --real and kmodsim record --real
"""
