cmd_/tmp/fz/cases/huge_literal/modules.order := {   echo /tmp/fz/cases/huge_literal/hi.ko; :; } > /tmp/fz/cases/huge_literal/modules.order
