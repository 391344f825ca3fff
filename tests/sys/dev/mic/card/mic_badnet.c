// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frames whose virtio-net header the features never allowed, for the
 * tests of micd's network backend: a virtio driver for the network
 * device that accepts only VIRTIO_NET_F_CSUM and VIRTIO_NET_F_HOST_TSO4
 * of what the host offers and, once bound, sends on its transmit queue
 * (ring 1) through the plain virtio API:
 *	gso_tcpv6	a TCP over IPv6 GSO frame (HOST_TSO6 not accepted)
 *	bad_csum	a checksum to fill in past the end of the frame
 *	good		a plain frame: an ARP request for the host's address
 *			(172.31.1.254, the default of mic0), which the host's
 *			stack takes without counting a drop
 * Each line is "mic_badnet: <case>: sent" once the host gave the buffer
 * back ("no answer" after MIC_BADNET_WAIT), and the run ends with
 * "mic_badnet: done".  The host must drop the first two and pass the
 * good one to its tap.  The card test image loads this module with
 * virtio_net left out (micemu.skip=virtio_net); the card then has no
 * network interface, so the good frame is the only one the tap gets.
 */
#include <linux/completion.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include <linux/workqueue.h>

#include "mic_badcard.h"

#define MIC_BADNET_RX		0
#define MIC_BADNET_TX		1
#define MIC_BADNET_NVQS		2
#define MIC_BADNET_FRAME	512	/* the largest frame sent */
#define MIC_BADNET_CARD_IP	0xac1f0101	/* 172.31.1.1 */
#define MIC_BADNET_HOST_IP	0xac1f01fe	/* 172.31.1.254 */
#define MIC_BADNET_WAIT		(60 * HZ)

/**
 * struct mic_badnet - the network device bound
 * @bc: the device, its frame in flight, its work
 * @vqs: its virtqueues
 * @buf: the header and the frame
 */
struct mic_badnet {
	struct mic_badcard bc;
	struct virtqueue *vqs[MIC_BADNET_NVQS];
	u8 *buf;
};

/**
 * struct mic_badnet_case - one frame
 * @name: for the log
 * @flags: of the virtio-net header
 * @gso_type: of the header
 * @gso_size: of the header
 * @csum_start: of the header
 * @csum_offset: of the header
 * @hdr_len: of the header
 * @proto: the ethertype
 * @len: of the frame, its Ethernet header included
 */
struct mic_badnet_case {
	const char *name;
	u8 flags;
	u8 gso_type;
	u16 gso_size;
	u16 csum_start;
	u16 csum_offset;
	u16 hdr_len;
	u16 proto;
	unsigned int len;
};

static const struct mic_badnet_case mic_badnet_cases[] = {
	{ "gso_tcpv6", VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV6,
	  1400, 54, 16, 74, ETH_P_IPV6, 300 },
	{ "bad_csum", VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_NONE,
	  0, 1000, 16, 0, ETH_P_IP, 100 },
	{ "good", 0, VIRTIO_NET_HDR_GSO_NONE, 0, 0, 0, 0, ETH_P_ARP, 60 },
};

/* After the Ethernet header at @eth: who has the host?  Tell the card. */
static void mic_badnet_arp(struct ethhdr *eth)
{
	struct arphdr *arp = (struct arphdr *)(eth + 1);
	u8 *p = (u8 *)(arp + 1);
	__be32 ip;

	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = sizeof(ip);
	arp->ar_op = htons(ARPOP_REQUEST);
	memcpy(p, eth->h_source, ETH_ALEN);
	ip = htonl(MIC_BADNET_CARD_IP);
	memcpy(p + ETH_ALEN, &ip, sizeof(ip));
	ip = htonl(MIC_BADNET_HOST_IP);
	memcpy(p + 2 * ETH_ALEN + sizeof(ip), &ip, sizeof(ip));
}

/* Send one frame and wait for its buffer; false with no answer. */
static bool mic_badnet_send(struct mic_badnet *mb,
			    const struct mic_badnet_case *c)
{
	struct virtio_device *vdev = mb->bc.vdev;
	struct virtio_net_hdr *h = (struct virtio_net_hdr *)mb->buf;
	struct ethhdr *eth = (struct ethhdr *)(mb->buf + sizeof(*h));
	struct scatterlist sg;
	unsigned long flags;
	int ret;

	memset(mb->buf, 0, sizeof(*h) + MIC_BADNET_FRAME);
	h->flags = c->flags;
	h->gso_type = c->gso_type;
	h->gso_size = cpu_to_virtio16(vdev, c->gso_size);
	h->csum_start = cpu_to_virtio16(vdev, c->csum_start);
	h->csum_offset = cpu_to_virtio16(vdev, c->csum_offset);
	h->hdr_len = cpu_to_virtio16(vdev, c->hdr_len);
	eth_broadcast_addr(eth->h_dest);
	eth->h_source[0] = 0x02;
	eth->h_source[5] = 0x01;
	eth->h_proto = htons(c->proto);
	if (c->proto == ETH_P_ARP)
		mic_badnet_arp(eth);
	else
		memset(eth + 1, 0x5a, c->len - sizeof(*eth));
	sg_init_one(&sg, mb->buf, sizeof(*h) + c->len);
	reinit_completion(&mb->bc.done);
	spin_lock_irqsave(&mb->bc.lock, flags);
	ret = virtqueue_add_outbuf(mb->vqs[MIC_BADNET_TX], &sg, 1, mb,
				   GFP_ATOMIC);
	if (!ret)
		virtqueue_kick(mb->vqs[MIC_BADNET_TX]);
	spin_unlock_irqrestore(&mb->bc.lock, flags);
	if (ret)
		return false;
	return mic_badcard_wait(&mb->bc, MIC_BADNET_WAIT);
}

static void mic_badnet_work(struct work_struct *work)
{
	struct mic_badnet *mb = container_of(work, struct mic_badnet, bc.work);
	const struct mic_badnet_case *c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mic_badnet_cases); i++) {
		c = &mic_badnet_cases[i];
		if (!mic_badnet_send(mb, c)) {
			dev_info(&mb->bc.vdev->dev, "mic_badnet: %s: no answer\n",
				 c->name);
			return;
		}
		dev_info(&mb->bc.vdev->dev, "mic_badnet: %s: sent\n", c->name);
	}
	dev_info(&mb->bc.vdev->dev, "mic_badnet: done\n");
}

/* The host gave transmit buffers back. */
static void mic_badnet_tx_done(struct virtqueue *vq)
{
	struct mic_badnet *mb = vq->vdev->priv;

	mic_badcard_done(&mb->bc, vq);
}

static int mic_badnet_probe(struct virtio_device *vdev)
{
	static const char * const names[] = { "input", "output" };
	vq_callback_t *callbacks[] = { NULL, mic_badnet_tx_done };
	struct mic_badnet *mb;
	int ret;

	mb = devm_kzalloc(&vdev->dev, sizeof(*mb), GFP_KERNEL);
	if (!mb)
		return -ENOMEM;
	mb->buf = devm_kzalloc(&vdev->dev, sizeof(struct virtio_net_hdr) +
			       MIC_BADNET_FRAME, GFP_KERNEL);
	if (!mb->buf)
		return -ENOMEM;
	mic_badcard_init(&mb->bc, vdev, mic_badnet_work);
	vdev->priv = mb;
	ret = virtio_find_vqs(vdev, MIC_BADNET_NVQS, mb->vqs, callbacks,
			      names, NULL);
	if (ret)
		return ret;
	virtio_device_ready(vdev);
	dev_info(&vdev->dev, "mic_badnet: bound, features %#llx\n",
		 (unsigned long long)vdev->features);
	schedule_work(&mb->bc.work);
	return 0;
}

static void mic_badnet_remove(struct virtio_device *vdev)
{
	struct mic_badnet *mb = vdev->priv;

	mic_badcard_remove(&mb->bc, mb->vqs[MIC_BADNET_TX]);
	dev_info(&vdev->dev, "mic_badnet: unbound\n");
}

static unsigned int mic_badnet_features[] = {
	VIRTIO_NET_F_CSUM,
	VIRTIO_NET_F_HOST_TSO4,
};

static const struct virtio_device_id mic_badnet_ids[] = {
	{ VIRTIO_ID_NET, VIRTIO_DEV_ANY_ID },
	{ }
};
MODULE_DEVICE_TABLE(virtio, mic_badnet_ids);

static struct virtio_driver mic_badnet_driver = {
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.feature_table = mic_badnet_features,
	.feature_table_size = ARRAY_SIZE(mic_badnet_features),
	.id_table = mic_badnet_ids,
	.probe = mic_badnet_probe,
	.remove = mic_badnet_remove,
};
module_virtio_driver(mic_badnet_driver);

MODULE_DESCRIPTION("A network driver that sends frames with headers it may not send, for tests");
MODULE_LICENSE("GPL");
