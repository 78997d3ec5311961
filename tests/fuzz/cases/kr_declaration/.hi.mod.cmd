cmd_/tmp/fz/cases/kr_declaration/hi.mod := printf '%s\n'   hi.o | awk '!x[$$0]++ { print("/tmp/fz/cases/kr_declaration/"$$0) }' > /tmp/fz/cases/kr_declaration/hi.mod
