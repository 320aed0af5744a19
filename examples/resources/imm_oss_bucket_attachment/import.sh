# An OSS bucket attachment is imported by the bucket name.
terraform import imm_oss_bucket_attachment.campaign_photos campaign-photos-2026
