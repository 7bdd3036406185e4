package io.pxewings.inventory.machine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A machine in the system of record. Its NICs are rows of their own (a MAC is unique across all
 * machines); its disks are the last inventory's snapshot, kept as JSON because they are replaced
 * as a whole by each report and never addressed one by one. The BMC endpoint is three columns:
 * one per machine, and only where and how to reach it plus a credentials reference.
 */
@Entity
@Table(name = "machine")
public class Machine extends PanacheEntityBase {

    @Id
    public UUID id;

    public String site;
    public String hostname;
    public String state;

    @Column(name = "system_uuid")
    public String systemUuid;
    public String serial;
    public String manufacturer;
    public String product;
    @Column(name = "asset_tag")
    public String assetTag;
    public String architecture;
    public String firmware;
    @Column(name = "cpu_model")
    public String cpuModel;
    @Column(name = "cpu_sockets")
    public Integer cpuSockets;
    @Column(name = "cpu_cores")
    public Integer cpuCores;
    @Column(name = "cpu_threads")
    public Integer cpuThreads;
    @Column(name = "memory_bytes")
    public Long memoryBytes;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> labels = new TreeMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    public DiskList disks = new DiskList(List.of());

    @Column(name = "bmc_address")
    public String bmcAddress;
    @Column(name = "bmc_protocol")
    public String bmcProtocol;
    @Column(name = "bmc_credentials_ref")
    public String bmcCredentialsRef;

    @Column(name = "inventoried_at")
    public Instant inventoriedAt;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    /** Removal is explicit (a merge moves NICs between machines; orphan removal would delete them). */
    @OneToMany(mappedBy = "machine", cascade = {CascadeType.PERSIST, CascadeType.MERGE})
    @OrderBy("mac")
    public List<Nic> nics = new ArrayList<>();

    public static Machine create(String site, MachineState state, Instant now) {
        Machine m = new Machine();
        m.id = UUID.randomUUID();
        m.site = site;
        m.state = state.wire();
        m.createdAt = now;
        m.updatedAt = now;
        return m;
    }

    public Nic nic(String mac) {
        for (Nic n : nics) {
            if (n.mac.equals(mac)) {
                return n;
            }
        }
        return null;
    }

    public Nic addNic(String mac) {
        Nic n = new Nic();
        n.mac = mac;
        n.machine = this;
        nics.add(n);
        return n;
    }
}
