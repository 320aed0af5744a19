# An IMM binding is imported by project_name/dataset_name/uri.
terraform import imm_binding.campaign_photos media_library/campaign_2026/oss://campaign-photos-2026
