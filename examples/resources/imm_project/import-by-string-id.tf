import {
  to = imm_project.example
  id = "media_library"
}
