#!/bin/sh
# One database per subgraph on the one Postgres server (docker-compose), each owned by
# a role of its own that is not a superuser and can reach no other database: a
# service's credentials open its own data only. Runs once, on an empty data volume
# (docker-entrypoint-initdb.d); the passwords come from the environment.
set -eu

for service in contacts followers orders_loyalty marketing; do
  role="cg_${service}"
  var="CG_$(echo "$service" | tr '[:lower:]' '[:upper:]')_PASSWORD"
  password=$(printenv "$var" || true)
  case "$password" in
    '' | change-me*)
      echo "postgres-init: set $var in .env (see .env.example)" >&2
      exit 1
      ;;
  esac
  # psql variables quote the password (:'password') and the names (:"role").
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="$role" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
