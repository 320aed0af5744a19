# An IMM trigger is imported by project_name/id, its ID being IMM's.
terraform import imm_trigger.example document_library/trigger-9f72636a-0f0c-4baf-ae78-38b27b000000
