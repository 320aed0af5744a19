# The project's suspended triggers of the documents team.
data "imm_triggers" "paused" {
  project_name = "document_library"
  state        = "Suspended"
  tags         = { team = "documents" }
}

output "paused_triggers" {
  value = data.imm_triggers.paused.ids
}
