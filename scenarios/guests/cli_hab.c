/* cli_hab.c - a client in the style of Qualcomm's HAB transport over the
 * QNX shmem device: one device instance per channel, the instances' factory
 * pages at consecutive pages (loc, loc + 4 KiB, ...) raising consecutive
 * interrupts (read from each page's vector register), region names copied
 * into the name field byte by byte, configured edge-triggered in the GIC,
 * "work" whenever any of status bits 15:0 is set (the sender's identity is
 * not looked at), and every channel detached only at shutdown.
 *
 * Two roles by VMID: 0 is the front end, 1 the back end. Channel k uses
 * region "NAME<k>" (1 page). The front end, once it sees the back end in a
 * channel's attach list, writes request 0x4841B000 + k at data offset 0 and
 * rings ~0; the back end answers with request ^ 0xFFFF0000 at offset 4 and
 * rings ~0; the front end checks the answer. The front end shuts down when
 * every channel has its answer; the back end when it has served every
 * channel and sees every channel's attach list without the front end (it
 * stays until then so the front end never loses an answer).
 *
 * args: loc of channel 0, channels (1..8), region name prefix.
 * Exit: 0 done; 10 + GSS when a request failed; 20 no device.
 * FAIL 0xB01 an answer that does not match the request
 * FAIL 0xB02 a request word that is not one of this channel's
 * Console: "hab ROLE chan K idx=I vector=V", "hab ROLE served K" /
 * "hab ROLE answer K ok", "hab ROLE shutdown". */
#include "hv.h"
#include "gic.h"
#include "shmem.h"

#define MAX_CHAN 8
#define REQ(k)   (0x4841B000u + (k))

struct chan {
	uint64_t fac, ctl;
	volatile uint32_t *data;
	uint32_t vector, idx, list;
	int peer_seen, sent, done;
};

static struct chan ch[MAX_CHAN];
static uint32_t n_chan, role;
static volatile uint32_t n_done, n_irq;
static const char *const role_name[2] = { "front", "back" };

static void name_bytes(uint64_t fac, const char *prefix, uint32_t k)
{
	char name[SHM_NAME_MAX];
	snprintf(name, sizeof(name), "%s%u", prefix, k);
	for (uint32_t i = 0; i < sizeof(name); i++) {
		mmio_write8(fac + FAC_NAME + i, (uint8_t)name[i]);
		if (!name[i])
			break;
	}
}

static void ring(struct chan *c)
{
	dsb();
	mmio_write32(c->ctl + CTL_NOTIFY, ~0u);
}

static void front_send(struct chan *c, uint32_t k)
{
	c->data[1] = 0;
	c->data[0] = REQ(k);
	c->sent = 1;
	ring(c);
}

/* One status word of channel k: work when any pending bit is set. */
static void chan_status(uint32_t k, uint32_t st)
{
	struct chan *c = &ch[k];
	uint32_t list = st >> 16;

	c->peer_seen |= (list & ~(1u << c->idx)) != 0;
	c->list = list;
	if (role == 0) {
		if (c->peer_seen && !c->sent)
			front_send(c, k);
		if ((st & 0xFFFF) && c->sent && !c->done && c->data[1]) {
			if (!hv_check(c->data[1] == (REQ(k) ^ 0xFFFF0000u), 0xB01))
				printf("hab front answer %u bad: 0x%x\n", k, c->data[1]);
			else
				printf("hab front answer %u ok\n", k);
			c->done = 1;
			n_done++;
		}
	} else if ((st & 0xFFFF) && !c->done) {
		uint32_t req = c->data[0];
		if (!hv_check(req == REQ(k), 0xB02)) {
			printf("hab back chan %u bad request 0x%x\n", k, req);
			return;
		}
		c->data[1] = req ^ 0xFFFF0000u;
		c->done = 1;
		n_done++;
		printf("hab back served %u\n", k);
		ring(c);
	}
}

static void on_irq(uint32_t intid, void *arg)
{
	(void)intid;
	struct chan *c = arg;
	n_irq++;
	uint32_t st = mmio_read32(c->ctl + CTL_STATUS);
	dmb_ishld();            /* the status read before the channel's data loads */
	chan_status((uint32_t)(c - ch), st);
}

/* The back end may leave when the front end left every channel. */
static int front_gone(void)
{
	for (uint32_t k = 0; k < n_chan; k++)
		if (ch[k].list & ~(1u << ch[k].idx))
			return 0;
	return 1;
}

int main(void)
{
	uint64_t loc = hv_arg(0);
	n_chan = (uint32_t)hv_arg(1);
	const char *prefix = hv_arg_str(2);
	role = hv_vmid() ? 1 : 0;
	if (n_chan < 1 || n_chan > MAX_CHAN)
		return 21;

	gic_init();
	for (uint32_t k = 0; k < n_chan; k++) {
		struct chan *c = &ch[k];
		c->fac = loc + k * SHM_PAGE;
		if (mmio_read64(c->fac + FAC_SIGNATURE) != SHM_SIGNATURE)
			return 20;
		c->vector = mmio_read32(c->fac + FAC_VECTOR);
		gic_set_edge(c->vector, 1);
		irq_register(c->vector, on_irq, c);
		gic_enable(c->vector);
	}
	for (uint32_t k = 0; k < n_chan; k++) {
		struct chan *c = &ch[k];
		name_bytes(c->fac, prefix, k);
		mmio_write32(c->fac + FAC_SIZE, 1);
		uint32_t gss = mmio_read32(c->fac + FAC_STATUS);
		if (gss != GSS_OK) {
			printf("hab %s chan %u: status %u\n", role_name[role], k, gss);
			return 10 + (int)gss;
		}
		c->ctl = mmio_read64(c->fac + FAC_SHMEM);
		c->data = (volatile uint32_t *)(uintptr_t)(c->ctl + SHM_PAGE);
		c->idx = mmio_read32(c->ctl + CTL_IDX);
		printf("hab %s chan %u idx=%u vector=%u\n", role_name[role], k, c->idx, c->vector);
		uint32_t st = mmio_read32(c->ctl + CTL_STATUS);
		dmb_ishld();
		chan_status(k, st);
	}

	while (n_done < n_chan || (role == 1 && !front_gone())) {
		wfi();
		uint32_t seen = n_irq;
		irq_enable();
		for (int i = 0; i < 100000 && n_irq == seen; i++)
			;
		irq_disable();
	}
	printf("hab %s shutdown\n", role_name[role]);
	for (uint32_t k = 0; k < n_chan; k++)
		mmio_write32(ch[k].ctl + CTL_DETACH, 1);
	return 0;
}
