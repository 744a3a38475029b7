// Package deploy is the production deployment example: deploy/guestflow.toml
// is a hotel group's configuration for the real vendors, read by the
// docker-compose.yml at the repository root together with the credentials in
// deploy/secrets/. Its test checks the compose file against the programs'
// flags, environment variables and ports, since CI runs no Docker engine.
package deploy
