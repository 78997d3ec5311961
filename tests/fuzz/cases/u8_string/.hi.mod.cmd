cmd_/tmp/fz/cases/u8_string/hi.mod := printf '%s\n'   hi.o | awk '!x[$$0]++ { print("/tmp/fz/cases/u8_string/"$$0) }' > /tmp/fz/cases/u8_string/hi.mod
