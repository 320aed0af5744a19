# An IMM project is imported by its name.
terraform import imm_project.example media_library
