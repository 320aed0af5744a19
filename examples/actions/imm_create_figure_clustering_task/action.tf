# Cluster a dataset's faces, once the binding has indexed its photos:
#   terraform apply -invoke=action.imm_create_figure_clustering_task.faces
# or let Terraform run it after the binding is created (below).
action "imm_create_figure_clustering_task" "faces" {
  config {
    project_name = "media_library"
    dataset_name = "faces"
    tags         = { run = "nightly" }
  }
}

resource "terraform_data" "photos_indexed" {
  input = "media_library/faces"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.imm_create_figure_clustering_task.faces]
    }
  }
}
