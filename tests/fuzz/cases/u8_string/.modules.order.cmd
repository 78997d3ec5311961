cmd_/tmp/fz/cases/u8_string/modules.order := {   echo /tmp/fz/cases/u8_string/hi.ko; :; } > /tmp/fz/cases/u8_string/modules.order
