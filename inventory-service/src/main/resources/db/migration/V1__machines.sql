-- inventory-service schema, version 1: sites, machines, their NICs, and the transactional outbox.
-- Flyway applies it at start over JDBC; Hibernate only validates against it.

create table site (
    name       text primary key,
    created_at timestamptz not null default now()
);

create table machine (
    id                  uuid primary key,
    site                text not null references site (name),
    hostname            text,
    state               text not null,
    system_uuid         text,
    serial              text,
    manufacturer        text,
    product             text,
    asset_tag           text,
    architecture        text,
    firmware            text,
    cpu_model           text,
    cpu_sockets         integer,
    cpu_cores           integer,
    cpu_threads         integer,
    memory_bytes        bigint,
    -- Operator labels: a flat JSON object of strings. The GIN index serves label selectors (@>).
    labels              jsonb not null default '{}',
    -- Disks from the last agent inventory: a snapshot, replaced as a whole by each report, as
    -- {"items": [...]} (Hibernate Reactive maps jsonb to a JSON object, not an array).
    disks               jsonb not null default '{"items": []}',
    -- The BMC endpoint: where and how to reach it, and a reference to its credentials (never a secret).
    bmc_address         text,
    bmc_protocol        text,
    bmc_credentials_ref text,
    inventoried_at      timestamptz,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    version             bigint not null,
    constraint machine_state_known check (state in ('expected', 'discovered', 'inventoried', 'ready',
        'provisioning', 'provisioned', 'failed', 'maintenance', 'retired')),
    constraint machine_bmc_protocol_known check (bmc_protocol in ('ipmi', 'redfish')),
    constraint machine_bmc_complete check ((bmc_address is null) = (bmc_protocol is null)),
    constraint machine_firmware_known check (firmware in ('bios', 'uefi'))
);

-- A host name is unique within its site; an SMBIOS UUID and a BMC are unique everywhere.
create unique index machine_site_hostname on machine (site, hostname) where hostname is not null;
create unique index machine_system_uuid on machine (system_uuid) where system_uuid is not null;
create unique index machine_bmc_address on machine (bmc_address) where bmc_address is not null;
create index machine_serial on machine (serial) where serial is not null;
create index machine_labels on machine using gin (labels jsonb_path_ops);
-- Keyset pagination: (sort key, id) per sort order.
create index machine_created on machine (created_at, id);
create index machine_site_created on machine (site, created_at, id);
create index machine_updated on machine (updated_at, id);
create index machine_hostname_order on machine ((coalesce(hostname, '')), id);

create table nic (
    mac        text primary key,
    machine_id uuid not null references machine (id) on delete cascade,
    name       text,
    speed_mbps integer,
    link       boolean,
    boot       boolean not null default false,
    -- The IPv4 address an operator reserved for this NIC; published on wings.dhcp.reservations.
    address    text,
    constraint nic_mac_form check (mac ~ '^([0-9a-f]{2}:){5}[0-9a-f]{2}$')
);
create index nic_machine on nic (machine_id);
create unique index nic_address on nic (address) where address is not null;

-- Facts written in the same transaction as the change they describe; the relay publishes them in
-- id order and deletes them once the broker acknowledged (at least once, never before commit).
create table outbox (
    id         bigserial primary key,
    topic      text not null,
    record_key text not null,
    headers    jsonb not null,
    value      bytea,
    event_type text not null,
    created_at timestamptz not null default now()
);
