/tmp/fz/cases/kr_declaration/hi.o
