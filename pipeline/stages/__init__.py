"""The chain's stages. Other apps add theirs through ``settings.ATLAS_PIPELINE_STAGES``."""
