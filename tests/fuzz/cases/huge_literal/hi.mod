/tmp/fz/cases/huge_literal/hi.o
