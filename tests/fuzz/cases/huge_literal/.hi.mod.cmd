cmd_/tmp/fz/cases/huge_literal/hi.mod := printf '%s\n'   hi.o | awk '!x[$$0]++ { print("/tmp/fz/cases/huge_literal/"$$0) }' > /tmp/fz/cases/huge_literal/hi.mod
