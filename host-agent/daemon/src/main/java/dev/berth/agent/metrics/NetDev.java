package dev.berth.agent.metrics;

/**
 * Bytes received and sent on a network namespace's interfaces, from {@code /proc/<pid>/net/dev} of
 * a process in it. Loopback is left out: it is the container talking to itself.
 *
 * @param rxBytes received, summed over interfaces
 * @param txBytes sent, summed over interfaces
 */
public record NetDev(long rxBytes, long txBytes) {

    /**
     * Parses the file: two header lines, then "name: rx_bytes rx_packets ... (8 receive columns)
     * tx_bytes ...". Pure.
     */
    public static NetDev parse(String text) {
        long rx = 0;
        long tx = 0;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue; // the header lines have none
            String name = line.substring(0, colon).strip();
            if (name.equals("lo")) continue;
            String[] columns = line.substring(colon + 1).strip().split("\\s+");
            if (columns.length < 16) throw new NumberFormatException("interface " + name + " has " + columns.length + " columns, not 16");
            rx = Math.addExact(rx, CgroupFiles.number(columns[0]));
            tx = Math.addExact(tx, CgroupFiles.number(columns[8]));
        }
        return new NetDev(rx, tx);
    }
}
