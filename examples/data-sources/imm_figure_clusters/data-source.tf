# The ten largest clusters labelled by the board, created in 2026.
data "imm_figure_clusters" "board" {
  project_name = "media_library"
  dataset_name = "campaign_2026"

  custom_labels = {
    department = "board"
  }
  sort  = "FaceCount"
  order = "desc"
  limit = 10

  create_time_range = {
    start = "2026-01-01T00:00:00+08:00"
    end   = "2027-01-01T00:00:00+08:00"
  }
}

output "board_members" {
  value = { for c in data.imm_figure_clusters.board.clusters : c.name => c.face_count }
}
