cmd_/tmp/fz/cases/kr_declaration/modules.order := {   echo /tmp/fz/cases/kr_declaration/hi.ko; :; } > /tmp/fz/cases/kr_declaration/modules.order
