package deploy

// The Temporal server's configuration, as docker-compose.yml mounts it and
// ./scripts/production-shape (deploy/productionshape) runs it: one
// directory, relative to the repository, holding the server configuration
// (ServerEnvironment + ".yaml"), the dynamic configuration it loads, and
// the setup script of the schema and the namespace.
const (
	ServerConfigDir   = "deploy/temporal"
	ServerEnvironment = "guestflow"
	DynamicConfigFile = "dynamicconfig.yaml"
	SetupScript       = "deploy/temporal/setup.sh"
)
