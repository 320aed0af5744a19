# An IMM dataset is imported by project_name/dataset_name.
terraform import imm_dataset.example media_library/campaign_2026
