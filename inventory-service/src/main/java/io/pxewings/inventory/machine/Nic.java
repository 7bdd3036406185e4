package io.pxewings.inventory.machine;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A network interface, identified by its MAC (lower-case colon form) across all machines. */
@Entity
@Table(name = "nic")
public class Nic extends PanacheEntityBase {

    @Id
    public String mac;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "machine_id")
    public Machine machine;

    public String name;
    @Column(name = "speed_mbps")
    public Integer speedMbps;
    public Boolean link;
    public boolean boot;
    /** The reserved IPv4 address, or null. */
    public String address;
}
