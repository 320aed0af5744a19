variable "project_name" {
  description = "Name of the IMM project to create, unique in the region."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_-]{0,127}$", var.project_name))
    error_message = "project_name must be 1-128 characters of letters, digits, underscores (_) and hyphens (-), starting with a letter or an underscore."
  }
}

variable "dataset_name" {
  description = "Name of the dataset the media are indexed into."
  type        = string
  default     = "media"

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_-]{0,127}$", var.dataset_name))
    error_message = "dataset_name must be 1-128 characters of letters, digits, underscores (_) and hyphens (-), starting with a letter or an underscore."
  }
}

variable "description" {
  description = "Description of the project and the dataset; null leaves IMM's default."
  type        = string
  default     = null

  validation {
    condition     = var.description == null || can(regex("^(?s).{1,256}$", var.description))
    error_message = "description must be 1-256 characters (or null)."
  }
}

variable "template_id" {
  description = "The dataset's workflow template: what IMM extracts from each indexed object."
  type        = string
  default     = "Official:FaceManagement"

  validation {
    condition = contains([
      "Official:DefaultEmptyId",
      "Official:OSSBasicMeta",
      "Official:ImageManagement",
      "Official:FaceManagement",
      "Official:AllFunction",
    ], var.template_id)
    error_message = "template_id must be one of Official:DefaultEmptyId, Official:OSSBasicMeta, Official:ImageManagement, Official:FaceManagement, Official:AllFunction."
  }
}

variable "oss_bucket" {
  description = "OSS bucket (in the project's region) whose objects the dataset indexes, through an imm_binding; null creates no binding."
  type        = string
  default     = null

  validation {
    condition     = var.oss_bucket == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.oss_bucket))
    error_message = "oss_bucket must be an OSS bucket name (3-63 characters of lower-case letters, digits and hyphens, starting and ending with a letter or a digit; no oss:// and no path), or null."
  }
}

variable "max_files" {
  description = "The most files the dataset may hold; null leaves IMM's default (100000000)."
  type        = number
  default     = null

  validation {
    condition     = try(var.max_files >= 1 && var.max_files <= 100000000 && floor(var.max_files) == var.max_files, var.max_files == null)
    error_message = "max_files must be a whole number from 1 to 100000000 (or null)."
  }
}

variable "tags" {
  description = "Tags of the project."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(var.tags) <= 20 && alltrue([for k in keys(var.tags) : !startswith(lower(k), "aliyun") && !startswith(lower(k), "acs:")])
    error_message = "tags may hold at most 20 tags, and no key may start with aliyun or acs:."
  }
}

variable "force_destroy" {
  description = "Whether destroy deletes the dataset's indexed file metadata (never the OSS objects) and the project's datasets with them; without it, destroying a library that holds files fails."
  type        = bool
  default     = false
}
