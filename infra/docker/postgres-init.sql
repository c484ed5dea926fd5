-- One database per subgraph on the one Postgres server (docker-compose).
CREATE DATABASE cg_contacts;
CREATE DATABASE cg_followers;
CREATE DATABASE cg_orders_loyalty;
CREATE DATABASE cg_marketing;
