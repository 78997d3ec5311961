/tmp/fz/cases/u8_string/hi.o
