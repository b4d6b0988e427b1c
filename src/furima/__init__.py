"""furima: trade engine and web app for C2C flea-market services."""
