import {
  to = imm_trigger.example
  id = "document_library/trigger-9f72636a-0f0c-4baf-ae78-38b27b000000"
}
