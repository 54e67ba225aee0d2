package io.github.pgqueue.samples.jobservice.jobs;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

import org.apache.hc.client5.http.DnsResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.http.client.InetAddressFilter;

/**
 * Which addresses a {@code deliver-webhook} job may connect to: public ones only, unless
 * {@code job-service.webhook.allowed-addresses} lets a range through. Refused by default: loopback,
 * unspecified, private (site-local, IPv6 unique-local), link-local (cloud metadata at
 * 169.254.169.254 included), carrier-grade NAT, multicast, broadcast, documentation, benchmarking,
 * reserved and transition ranges (NAT64, 6to4, Teredo; an IPv4-mapped IPv6 address is checked as the
 * IPv4 address it maps, as the JDK reads it), whose targets a caller could use to reach the service
 * itself or its network.
 * <p>
 * The check runs where each connection's address is chosen ({@link #filter()}, applied by the HTTP
 * client to what {@link #resolver()} answers, so the address checked is the address connected to), and
 * at submit ({@link #refusal(URI)}) when the name already resolves, through the same resolver, to a
 * refused address.
 */
public final class WebhookAddresses {

	/** The property that lets ranges through, named in every refusal. */
	public static final String ALLOWED_PROPERTY = "job-service.webhook.allowed-addresses";

	private static final List<Range> SPECIAL = Range.all("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
			"169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
			"198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "::/96", "::1/128",
			"64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16",
			"fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8");

	private final List<Range> allowed;

	private final DnsResolver resolver;

	/**
	 * @param allowed ranges let through although special, in CIDR notation ({@code 127.0.0.1/32}) or
	 * as single addresses
	 * @param resolver how host names resolve, at submit and for each connection
	 * @throws IllegalArgumentException naming a range that is not an address or CIDR block
	 */
	public WebhookAddresses(List<String> allowed, DnsResolver resolver) {
		this.allowed = Range.all(allowed.toArray(String[]::new));
		this.resolver = resolver;
	}

	/** @return how host names resolve, at submit and for each connection */
	public DnsResolver resolver() {
		return this.resolver;
	}

	/**
	 * @param address an address a webhook would connect to
	 * @return whether it may
	 */
	public boolean permitted(InetAddress address) {
		return this.allowed.stream().anyMatch((range) -> range.contains(address))
				|| SPECIAL.stream().noneMatch((range) -> range.contains(address));
	}

	/** @return the filter for the HTTP client's connections */
	public InetAddressFilter filter() {
		return InetAddressFilter.adapt(this::permitted);
	}

	/**
	 * @param url a webhook's target
	 * @return why it is refused, when its host already resolves to a refused address; {@code null}
	 * when it does not, or does not resolve now (it is checked again when the job runs)
	 */
	public @Nullable String refusal(URI url) {
		String host = url.getHost();
		if (host == null) {
			return null;
		}
		try {
			String name = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
			for (InetAddress address : this.resolver.resolve(name)) {
				if (!permitted(address)) {
					return refusalOf(host);
				}
			}
			return null;
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * @param host a refused target's host
	 * @return the one message for every refusal: it names neither the address nor anything the
	 * target would have answered
	 */
	public static String refusalOf(String host) {
		return "webhook target " + host + " refused: it is or resolves to a loopback, private, link-local, "
				+ "multicast or other special address, which webhooks may not reach (" + ALLOWED_PROPERTY
				+ " lets a range through, for development)";
	}

	/** An address block. */
	private record Range(byte[] network, int bits) {

		static List<Range> all(String... cidrs) {
			return List.of(cidrs).stream().map(Range::parse).toList();
		}

		static Range parse(String cidr) {
			String text = cidr.strip();
			int slash = text.indexOf('/');
			String address = (slash < 0) ? text : text.substring(0, slash);
			if (!address.matches("[0-9A-Fa-f:.]+")) {
				throw new IllegalArgumentException(ALLOWED_PROPERTY + ": '" + cidr + "' is not an IP address or CIDR "
						+ "block (such as 127.0.0.1/32 or fd00::/8)");
			}
			try {
				byte[] network = InetAddress.getByName(address).getAddress();
				int bits = (slash < 0) ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
				if (bits < 0 || bits > network.length * 8) {
					throw new NumberFormatException();
				}
				return new Range(network, bits);
			}
			catch (UnknownHostException | NumberFormatException ex) {
				throw new IllegalArgumentException(ALLOWED_PROPERTY + ": '" + cidr + "' is not an IP address or CIDR "
						+ "block (such as 127.0.0.1/32 or fd00::/8)", ex);
			}
		}

		boolean contains(InetAddress address) {
			byte[] bytes = address.getAddress();
			if (bytes.length != this.network.length) {
				return false;
			}
			int shift = bytes.length * 8 - this.bits;
			return new BigInteger(1, bytes).shiftRight(shift).equals(new BigInteger(1, this.network).shiftRight(shift));
		}

	}

}
